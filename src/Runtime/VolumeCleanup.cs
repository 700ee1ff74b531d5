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
        return RunCleanup.FailuresOf(error);
    }

    /// <summary>
    /// The <see cref="Exception.Data"/> key under which the volumes that could not be removed are
    /// attached, as an <c>IReadOnlyList&lt;Exception&gt;</c>; <see cref="GetFailures"/> reads it.
    /// </summary>
    public const string FailuresKey = RunCleanup.FailuresKey;

    /// <summary>
    /// Cleans up every volume (each one, whatever happens to the others; null entries are skipped).
    /// After a failed run (<paramref name="runFailure"/> not null) cleanup failures are attached to
    /// it and nothing is thrown: the caller rethrows the run's error. After a successful run the
    /// first failure (a <see cref="VolumeCleanupException"/>) is thrown, any others attached to it.
    /// </summary>
    public static async Task CleanupAsync(Exception? runFailure, params IsolatedContainerVolume?[] volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        await RunCleanup.RemoveAsync(runFailure, volumes.Select(v => v?.Docker).ToList()).ConfigureAwait(false);
    }
}
