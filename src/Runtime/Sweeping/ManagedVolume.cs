namespace VolumeGen;

/// <summary>A volume VolumeGen created, as the sweeper sees it.</summary>
/// <param name="Name">The volume name.</param>
/// <param name="TenantId">The tenant, from its label.</param>
/// <param name="RunId">The run, from its label.</param>
/// <param name="CreatedAt">When it was created, from its label.</param>
/// <param name="InUse">True when a running container mounts it.</param>
/// <param name="OwnerAlive">True when the process that created it is still running on this host (and has not given the volume up).</param>
/// <param name="ContainerIds">Every container (running or not) that mounts it.</param>
public sealed record ManagedVolume(
    string Name,
    string? TenantId,
    string? RunId,
    DateTimeOffset? CreatedAt,
    bool InUse,
    bool OwnerAlive,
    IReadOnlyList<string> ContainerIds);
