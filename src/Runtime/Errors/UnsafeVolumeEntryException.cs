using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// A path in the volume is not a regular file (a symlink, hardlink, directory, FIFO, device or
/// socket), typically because the tool wrote something other than the expected output file.
/// </summary>
public sealed class UnsafeVolumeEntryException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public UnsafeVolumeEntryException(string volumeName, string fileName, string entryKind)
        : base($"'{Printable.Of(fileName)}' in volume '{volumeName}' is a {Printable.Of(entryKind)}, not a regular file; refusing to read it.")
    {
        VolumeName = volumeName;
        FileName = fileName;
        EntryKind = entryKind;
    }

    /// <summary>Creates the exception for a path that is a <paramref name="entryKind"/> where <paramref name="expected"/> was asked for.</summary>
    public UnsafeVolumeEntryException(string volumeName, string fileName, string entryKind, string expected)
        : base($"'{Printable.Of(fileName)}' in volume '{volumeName}' is a {Printable.Of(entryKind)}, not {expected}; refusing to read it.")
    {
        VolumeName = volumeName;
        FileName = fileName;
        EntryKind = entryKind;
    }

    /// <summary>The volume that was read.</summary>
    public string VolumeName { get; }

    /// <summary>The requested file name.</summary>
    public string FileName { get; }

    /// <summary>What was found instead of a regular file.</summary>
    public string EntryKind { get; }
}
