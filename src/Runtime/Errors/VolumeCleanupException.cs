namespace VolumeGen;

/// <summary>A volume (or one of its helper containers) could not be removed; it is leaked until swept.</summary>
public sealed class VolumeCleanupException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public VolumeCleanupException(string volumeName, int attempts, Exception innerException)
        : base($"Volume '{volumeName}' could not be removed after {attempts} attempt(s): {innerException.Message} " +
               "It keeps its labels, so OrphanVolumeSweeper removes it later.", innerException)
    {
        VolumeName = volumeName;
        Attempts = attempts;
    }

    /// <summary>The volume that is left behind.</summary>
    public string VolumeName { get; }

    /// <summary>How many removal attempts were made.</summary>
    public int Attempts { get; }
}
