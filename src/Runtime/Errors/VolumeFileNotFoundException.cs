using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>A file that was asked for does not exist in the volume (a required output the tool did not write).</summary>
public sealed class VolumeFileNotFoundException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public VolumeFileNotFoundException(string volumeName, string fileName)
        : base($"File '{Printable.Of(fileName)}' was not found in volume '{volumeName}'.")
    {
        VolumeName = volumeName;
        FileName = fileName;
    }

    /// <summary>The file, relative to the volume's root.</summary>
    public string FileName { get; }

    /// <summary>The volume that was read.</summary>
    public string VolumeName { get; }
}
