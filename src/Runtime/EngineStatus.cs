namespace VolumeGen;

/// <summary>What the engine a runner uses looks like right now (<see cref="ContainerToolRunner.CheckEngineAsync"/>).</summary>
/// <param name="Endpoint">The endpoint asked.</param>
/// <param name="Engine"><c>Docker</c> or <c>Podman</c> (through its Docker API).</param>
/// <param name="Version">The engine's version.</param>
/// <param name="ApiVersion">The Engine API version in use: the negotiated one, or the daemon's own over a caller's client.</param>
/// <param name="EnforcesResourceLimits">False when memory and pids limits would be silently ignored (rootless Docker without cgroups).</param>
/// <param name="HelperImage">The helper image the runner's volumes use.</param>
/// <param name="HelperImagePresent">Whether it exists on the engine (the default one is imported at the first run when it does not).</param>
public sealed record EngineStatus(
    Uri Endpoint, string Engine, string Version, string ApiVersion, bool EnforcesResourceLimits, string HelperImage, bool HelperImagePresent);
