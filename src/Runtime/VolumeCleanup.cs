using VolumeGen.Engine;

namespace VolumeGen;

/// <summary>
/// Cleans up the volumes of one run after it, without letting a cleanup failure hide why the run
/// failed: the run's own exception keeps propagating, and what could not be removed is attached to
/// it (read them with <see cref="GetFailures"/>). Generated wrappers end with it.
/// </summary>
public static class VolumeCleanup
{
    /// <summary>
    /// What could not be removed after the run that raised <paramref name="error"/>: the
    /// <see cref="VolumeCleanupException"/>s of volumes left for the sweeper and the
    /// <see cref="ContainerCleanupException"/> of a tool container; empty when everything was removed.
    /// </summary>
    public static IReadOnlyList<Exception> GetFailures(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Data[FailuresKey] as IReadOnlyList<Exception> ?? [];
    }

    /// <summary>
    /// The <see cref="Exception.Data"/> key under which the volumes that could not be removed are
    /// attached, as an <c>IReadOnlyList&lt;Exception&gt;</c>; <see cref="GetFailures"/> reads it.
    /// </summary>
    public const string FailuresKey = "VolumeGen.CleanupFailures";

    /// <summary>
    /// Cleans up every volume (each one, whatever happens to the others; null entries are skipped).
    /// After a failed run (<paramref name="runFailure"/> not null) cleanup failures are attached to
    /// it and nothing is thrown: the caller rethrows the run's error. After a successful run the
    /// first failure (a <see cref="VolumeCleanupException"/>) is thrown, any others attached to it.
    /// </summary>
    public static Task CleanupAsync(Exception? runFailure, params IsolatedContainerVolume?[] volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        return CleanupAsync(runFailure, volumes.Select(v => v?.Docker).ToList());
    }

    /// <summary>The same, for the volumes of a run on the Docker backend.</summary>
    internal static async Task CleanupAsync(Exception? runFailure, IReadOnlyList<DockerVolume?> volumes)
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

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(First(failures));
    }

    /// <summary>The first of <paramref name="failures"/>, with the others (and what they carried) attached under <see cref="FailuresKey"/>.</summary>
    internal static Exception First(IReadOnlyList<Exception> failures)
    {
        Attach(failures[0], failures.Skip(1).SelectMany(f => f.Data[FailuresKey] is IReadOnlyList<Exception> carried ? [f, .. carried] : new[] { f }));
        return failures[0];
    }

    /// <summary>Adds <paramref name="failures"/> to those already attached to <paramref name="error"/>.</summary>
    internal static void Attach(Exception error, IEnumerable<Exception> failures)
    {
        var all = (error.Data[FailuresKey] as IReadOnlyList<Exception> ?? []).Concat(failures).ToList();
        if (all.Count > 0)
        {
            error.Data[FailuresKey] = all;
        }
    }
}
