namespace VolumeGen;

/// <summary>
/// A volume of the name VolumeGen chose already exists and is not this run's (another process's, or
/// made by someone on purpose): it is left alone, and nothing of the run is created. Transient: a
/// retry chooses a new name.
/// </summary>
public sealed class VolumeNameTakenException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public VolumeNameTakenException(string volumeName)
        : base($"Volume '{volumeName}' already exists and belongs to someone else; refusing to use it.")
    {
        VolumeName = volumeName;
    }

    /// <summary>The name that was taken.</summary>
    public string VolumeName { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
