namespace VolumeGen;

/// <summary>
/// A failed run's tool container could not be removed. Attached to the run's own error (read it with
/// <see cref="VolumeCleanup.GetFailures"/>), never thrown in its place: removing the run's volumes
/// takes the container too, else the sweeper does.
/// </summary>
public sealed class ContainerCleanupException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public ContainerCleanupException(string containerId, Exception innerException)
        : base($"Tool container '{containerId}' of the failed run could not be removed; removing the run's volumes takes it, else the sweeper does.", innerException)
    {
        ContainerId = containerId;
    }

    /// <summary>The container left behind.</summary>
    public string ContainerId { get; }
}
