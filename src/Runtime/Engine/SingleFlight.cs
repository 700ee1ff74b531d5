using System.Collections.Concurrent;

namespace VolumeGen.Engine;

/// <summary>
/// One piece of engine work per key at a time, however many callers want it (a connection and its
/// API negotiation, the helper image, an image's user, a pull): the first caller starts it, the
/// others wait for the same task, each with its own cancellation (a caller that gives up leaves the
/// work running for the rest). A failure is never remembered: the next caller starts the work again.
/// </summary>
/// <param name="keepResults">Remember a success for later callers; false only joins callers while the work runs (a pull: a tag moves).</param>
/// <param name="starterWaitsOnCancel">
/// A cancelled caller that started the work waits for it to end before it returns: the work carries
/// that caller's labels (a user probe's container), and a cancelled run must not return while it exists.
/// </param>
internal sealed class SingleFlight<TKey, TValue>(bool keepResults, bool starterWaitsOnCancel = false)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> _entries = new();

    public async Task<TValue> GetAsync(TKey key, Func<TKey, Task<TValue>> start, CancellationToken cancellationToken)
    {
        // Lazy: a factory that loses GetOrAdd's race must not start work nobody waits for.
        var mine = new Lazy<Task<TValue>>(() => start(key));
        var entry = _entries.GetOrAdd(key, mine);
        var task = entry.Value;
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (starterWaitsOnCancel && ReferenceEquals(entry, mine) && !task.IsCompleted)
        {
            await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (task.IsCompleted && !(keepResults && task.IsCompletedSuccessfully))
            {
                _entries.TryRemove(new KeyValuePair<TKey, Lazy<Task<TValue>>>(key, entry));
            }
        }
    }

    /// <summary>Forgets a remembered result: the next caller starts the work again.</summary>
    public void Forget(TKey key) => _entries.TryRemove(key, out _);
}
