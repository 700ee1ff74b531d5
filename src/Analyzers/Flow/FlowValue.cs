namespace VolumeGen.Analyzers.Flow;

/// <summary>
/// What an expression may evaluate to, as far as volume lifetimes go: each bit stands for one
/// <c>new IsolatedContainerVolume(...)</c> of the analyzed body. A value may be those volumes
/// themselves, or the task of their cleanup (released once awaited), or the task of their
/// initialization (a failed one cleans its volume up itself).
/// </summary>
internal readonly record struct FlowValue(ulong Volumes, ulong CleanupTasks, ulong InitializeTasks)
{
    public static FlowValue None => default;

    public bool IsNone => (Volumes | CleanupTasks | InitializeTasks) == 0;

    public static FlowValue OfVolumes(ulong volumes) => new(volumes, 0, 0);

    public FlowValue Union(FlowValue other) =>
        new(Volumes | other.Volumes, CleanupTasks | other.CleanupTasks, InitializeTasks | other.InitializeTasks);

    /// <summary>The same tasks, without the volumes (what <c>ConfigureAwait</c> or <c>Task.WhenAll</c> gives).</summary>
    public FlowValue TasksOnly => new(0, CleanupTasks, InitializeTasks);
}
