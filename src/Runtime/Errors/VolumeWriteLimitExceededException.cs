namespace VolumeGen;

/// <summary>
/// An input stream of unknown length grew past <see cref="IsolatedVolumeOptions.MaxStreamedFileBytes"/>
/// while it was spooled to disk. Nothing was created; the spool file is gone.
/// </summary>
public sealed class VolumeWriteLimitExceededException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public VolumeWriteLimitExceededException(string fileName, string limitName, long limit)
        : base($"Input '{fileName}' is a stream of unknown length that exceeds {limitName} ({limit} bytes) while being spooled to disk.")
    {
        FileName = fileName;
        LimitName = limitName;
        Limit = limit;
    }

    /// <summary>The input file that was too large.</summary>
    public string FileName { get; }

    /// <summary>The option name of the limit.</summary>
    public string LimitName { get; }

    /// <summary>The limit's value.</summary>
    public long Limit { get; }
}
