using System.Runtime.ExceptionServices;

namespace VolumeGen.Engine;

/// <summary>
/// Removing a run's volumes without letting a removal failure hide why the run failed: what could
/// not be removed is attached to the run's error under <see cref="FailuresKey"/> (read by
/// <see cref="VolumeCleanup.GetFailures"/>), never thrown in its place.
/// </summary>
internal static class RunCleanup
{
    public const string FailuresKey = "VolumeGen.CleanupFailures";

    /// <summary>What is attached to <paramref name="error"/>; empty when nothing is.</summary>
    public static IReadOnlyList<Exception> FailuresOf(Exception error) => error.Data[FailuresKey] as IReadOnlyList<Exception> ?? [];

    /// <summary>
    /// Removes every volume (each one, whatever happens to the others; null entries are skipped).
    /// After a failed run (<paramref name="runFailure"/> not null) removal failures are attached to
    /// it and nothing is thrown: the caller rethrows the run's error. After a successful run the
    /// first failure (a <see cref="VolumeCleanupException"/>) is thrown, any others attached to it.
    /// </summary>
    public static async Task RemoveAsync(Exception? runFailure, IReadOnlyList<DockerVolume?> volumes)
    {
        // Concurrently, and never with the run's token: a cancelled run needs its cleanup most.
        var cleanups = volumes.OfType<DockerVolume>().Select(v => v.CleanupAsync(CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(cleanups).ConfigureAwait(false);
            return;
        }
        catch (Exception)
        {
            // Each task's own exception is looked at below.
        }

        IReadOnlyList<Exception> failures = cleanups.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
        if (runFailure is not null)
        {
            Attach(runFailure, failures);
            return;
        }

        ExceptionDispatchInfo.Throw(First(failures));
    }

    /// <summary>The first of <paramref name="failures"/>, with the others (and what they carried) attached under <see cref="FailuresKey"/>.</summary>
    public static Exception First(IReadOnlyList<Exception> failures)
    {
        Attach(failures[0], failures.Skip(1).SelectMany(f => FailuresOf(f) is { Count: > 0 } carried ? [f, .. carried] : new[] { f }));
        return failures[0];
    }

    /// <summary>Adds <paramref name="failures"/> to those already attached to <paramref name="error"/>.</summary>
    public static void Attach(Exception error, IEnumerable<Exception> failures)
    {
        var all = FailuresOf(error).Concat(failures).ToList();
        if (all.Count > 0)
        {
            error.Data[FailuresKey] = all;
        }
    }
}
