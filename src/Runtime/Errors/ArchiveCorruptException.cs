namespace VolumeGen;

/// <summary>
/// An archive the engine streamed out of a volume ended early or was missing (the connection dropped,
/// the daemon restarted): what was read is discarded, and the read fails. Transient: a new run reads again.
/// </summary>
public sealed class ArchiveCorruptException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">What the archive came from: <c>volume 'NAME'</c>, <c>image 'NAME'</c>.</param>
    /// <param name="problem">What was wrong with it.</param>
    /// <param name="innerException">The read's own failure.</param>
    public ArchiveCorruptException(string source, string problem, Exception? innerException = null)
        : base($"The archive of {source} {problem}.", innerException)
    {
        Source = source;
    }

    /// <summary>What the archive came from: <c>volume 'NAME'</c>, <c>image 'NAME'</c>.</summary>
    public new string Source { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
