namespace VolumeGen.Archives;

/// <summary>
/// A read limit counted on bytes actually received (never on what a header claims). Thread-safe,
/// so one total can be shared by files read in parallel.
/// </summary>
internal sealed class ByteBudget(long limit, string limitName)
{
    private long _used;

    /// <summary>Bytes consumed so far.</summary>
    public long Used => Volatile.Read(ref _used);

    /// <summary>Bytes still allowed.</summary>
    public long Remaining => limit - Used;

    /// <summary>Fails early when a file's announced size alone would not fit.</summary>
    public void EnsureFits(long bytes, string volumeName, string fileName)
    {
        if (bytes > limit - Volatile.Read(ref _used))
        {
            throw Exceeded(volumeName, fileName);
        }
    }

    /// <summary>Fails early when a file's announced size would not fit in one of <paramref name="budgets"/>.</summary>
    public static void EnsureAllFit(IEnumerable<ByteBudget> budgets, long bytes, string volumeName, string fileName)
    {
        foreach (var budget in budgets)
        {
            budget.EnsureFits(bytes, volumeName, fileName);
        }
    }

    public void Consume(long bytes, string volumeName, string fileName)
    {
        if (Interlocked.Add(ref _used, bytes) > limit)
        {
            throw Exceeded(volumeName, fileName);
        }
    }

    private VolumeReadLimitExceededException Exceeded(string volumeName, string fileName) =>
        new(volumeName, fileName, limitName, limit);
}
