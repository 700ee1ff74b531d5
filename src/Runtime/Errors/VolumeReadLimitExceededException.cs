using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>A read would exceed one of the limits in <see cref="IsolatedVolumeOptions"/>.</summary>
public sealed class VolumeReadLimitExceededException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public VolumeReadLimitExceededException(string volumeName, string fileName, string limitName, long limit)
        : base($"Reading '{Printable.Of(fileName)}' from volume '{volumeName}' exceeds {limitName} ({limit} bytes).")
    {
        VolumeName = volumeName;
        FileName = fileName;
        LimitName = limitName;
        Limit = limit;
    }

    /// <summary>The volume that was read.</summary>
    public string VolumeName { get; }

    /// <summary>The file being read when the limit was hit.</summary>
    public string FileName { get; }

    /// <summary>The option name of the limit.</summary>
    public string LimitName { get; }

    /// <summary>The limit's value.</summary>
    public long Limit { get; }
}
