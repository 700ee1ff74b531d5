using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>A file that was asked for does not exist in the volume.</summary>
public sealed class VolumeFileNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception.</summary>
    public VolumeFileNotFoundException(string volumeName, string fileName)
        : base($"File '{Printable.Of(fileName)}' was not found in volume '{volumeName}'.", fileName)
    {
        VolumeName = volumeName;
    }

    /// <summary>The volume that was read.</summary>
    public string VolumeName { get; }
}
