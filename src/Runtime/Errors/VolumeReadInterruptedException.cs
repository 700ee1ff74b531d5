using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// The helper container a read goes through was removed while the read ran (an operator's
/// <c>docker container prune</c>), so whether the file exists is unknown. Transient: read again.
/// </summary>
public sealed class VolumeReadInterruptedException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public VolumeReadInterruptedException(string volumeName, string fileName)
        : base($"The read helper of volume '{volumeName}' was removed while '{Printable.Of(fileName)}' was being read " +
            "(an operator's `docker container prune`?); the file's presence is unknown. Read it again.")
    {
        VolumeName = volumeName;
        FileName = fileName;
    }

    /// <summary>The volume that was read.</summary>
    public string VolumeName { get; }

    /// <summary>The file that was being read.</summary>
    public string FileName { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
