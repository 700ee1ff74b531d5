namespace VolumeGen;

/// <summary>What a sweep removed, left alone and failed to remove.</summary>
/// <param name="RemovedVolumes">Volumes removed (or, in a dry run, that would be).</param>
/// <param name="RemovedContainers">Helper and tool containers removed (or that would be).</param>
/// <param name="Kept">Volumes older than the cutoff that were left alone, with the reason.</param>
/// <param name="Failures">Volumes or containers whose removal failed, with the error.</param>
/// <param name="DryRun">True when nothing was actually removed.</param>
public sealed record SweepResult(
    IReadOnlyList<string> RemovedVolumes,
    IReadOnlyList<string> RemovedContainers,
    IReadOnlyList<SweepEntry> Kept,
    IReadOnlyList<SweepEntry> Failures,
    bool DryRun)
{
    /// <summary>True when every removal that was attempted succeeded.</summary>
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>One resource the sweeper did not remove, and why.</summary>
/// <param name="Name">Volume name or container ID.</param>
/// <param name="Reason">Why it was kept, or the error that stopped its removal.</param>
public sealed record SweepEntry(string Name, string Reason);
