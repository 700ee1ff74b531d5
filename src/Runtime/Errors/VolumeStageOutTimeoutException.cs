namespace VolumeGen;

/// <summary>
/// Reading a run's outputs back took longer than <see cref="IsolatedVolumeOptions.StageOutTimeout"/>,
/// however steadily bytes moved; the read was abandoned and the run's volumes are removed as on every failure.
/// </summary>
public sealed class VolumeStageOutTimeoutException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public VolumeStageOutTimeoutException(string volumeName, TimeSpan timeout, Exception? innerException = null)
        : base($"Reading the outputs of volume '{volumeName}' back did not finish within {timeout.TotalSeconds:0.#} s (StageOutTimeout) and was abandoned.", innerException)
    {
        VolumeName = volumeName;
        Timeout = timeout;
    }

    /// <summary>The output volume.</summary>
    public string VolumeName { get; }

    /// <summary>The deadline that passed.</summary>
    public TimeSpan Timeout { get; }
}
