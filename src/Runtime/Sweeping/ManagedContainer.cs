namespace VolumeGen;

/// <summary>A helper or tool container VolumeGen created, as the sweeper sees it.</summary>
/// <param name="Id">The container ID.</param>
/// <param name="Role">"helper" (never started, reaches a volume) or "tool".</param>
/// <param name="TenantId">The tenant, from its label.</param>
/// <param name="RunId">The run, from its label.</param>
/// <param name="VolumeName">The volume a helper serves.</param>
/// <param name="State">The daemon's state: created, running, exited...</param>
/// <param name="CreatedAt">When it was created, from its label.</param>
/// <param name="OwnerAlive">True when the process that created it is still running on this host.</param>
public sealed record ManagedContainer(
    string Id,
    string? Role,
    string? TenantId,
    string? RunId,
    string? VolumeName,
    string State,
    DateTimeOffset? CreatedAt,
    bool OwnerAlive);
