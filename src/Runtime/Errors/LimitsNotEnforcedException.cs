namespace VolumeGen;

/// <summary>
/// The engine accepts memory and pids limits but does not enforce them (rootless Docker without
/// cgroups), so a tool could exhaust the host; refused unless
/// <see cref="DockerConnectionOptions.AllowUnenforcedResourceLimits"/> accepts that. Raised before the
/// tool container exists. Not transient: run on an engine with cgroups, or opt in.
/// </summary>
public sealed class LimitsNotEnforcedException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public LimitsNotEnforcedException()
        : base("The Docker engine does not enforce memory or pids limits (its /info reports MemoryLimit or PidsLimit false, " +
            "as rootless Docker without cgroups does), so a tool could exhaust the host. Run on an engine with cgroups, " +
            "or set DockerConnectionOptions.AllowUnenforcedResourceLimits (VOLUMEGEN_ALLOW_UNENFORCED_LIMITS=1) to accept that.")
    {
    }
}
