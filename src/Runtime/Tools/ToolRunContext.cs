using Microsoft.Extensions.Logging;

namespace VolumeGen;

/// <summary>Who a generated tool run is for, and how it reaches Docker.</summary>
/// <param name="TenantId">The tenant; part of the volume names and labels.</param>
/// <param name="RunId">The run; part of the volume names and labels.</param>
public sealed record ToolRunContext(string TenantId, string RunId)
{
    private ContainerToolRunner? _runner;

    /// <summary>
    /// Volume settings, including the Docker endpoint or client. Null connects like the runtime
    /// does by default (<c>DOCKER_HOST</c>, else the local socket).
    /// </summary>
    public IsolatedVolumeOptions? VolumeOptions { get; init; }

    /// <summary>
    /// The runner; by default one on the same Docker connection as <see cref="VolumeOptions"/>, made
    /// for that value (never cached here: a <c>with</c> copy that changes the options gets a runner for
    /// the new ones; connections and user resolutions are shared underneath anyway).
    /// </summary>
    public ContainerToolRunner Runner
    {
        get => _runner ?? new ContainerToolRunner(VolumeOptions);
        init => _runner = value;
    }

    /// <summary>
    /// Changes this call's tool settings, e.g. <c>t =&gt; t with { MemoryBytes = 2L &lt;&lt; 30 }</c>: a larger
    /// tenant's limits, a network for one run. Applied to the declaration's spec before the run (the
    /// runner still refuses values that switch a protection off without their opt-in).
    /// </summary>
    public Func<ToolRunSpec, ToolRunSpec>? ConfigureTool { get; init; }

    /// <summary>Where the generated code logs the run's steps; null means nowhere.</summary>
    public ILogger? Logger { get; init; }
}
