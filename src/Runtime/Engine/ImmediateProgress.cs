namespace VolumeGen.Engine;

/// <summary>
/// Reports on the caller's thread, in order: <see cref="Progress{T}"/> posts each report to the
/// thread pool, so reports could be reordered, or arrive after the call that made them returned.
/// </summary>
internal sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
