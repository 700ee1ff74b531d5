namespace VolumeGen;

/// <summary>
/// An upload into or a download from a volume moved no byte for
/// <see cref="DockerConnectionOptions.TransferInactivityTimeout"/>: the daemon or the input stream stalled.
/// </summary>
public sealed class VolumeTransferStalledException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public VolumeTransferStalledException(string volumeName, string direction, TimeSpan inactivity, Exception? innerException = null)
        : base($"The {direction} of volume '{volumeName}' moved no data for {inactivity.TotalSeconds:0.#} s and was aborted (TransferInactivityTimeout).", innerException)
    {
        VolumeName = volumeName;
        Inactivity = inactivity;
    }

    /// <summary>The volume.</summary>
    public string VolumeName { get; }

    /// <summary>The inactivity limit that was hit.</summary>
    public TimeSpan Inactivity { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
