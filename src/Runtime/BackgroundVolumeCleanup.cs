using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using VolumeGen.Engine;
using VolumeGen.Observability;

namespace VolumeGen;

/// <summary>
/// The opt-in lazy cleanup the design recommends "when latency matters", done so that it loses
/// nothing: a run that uses it (<see cref="IsolatedVolumeOptions.BackgroundCleanup"/>) returns as
/// soon as its outputs are read, and its volumes are removed here, in the background, with the same
/// retries as ever. The queue is bounded (a run waits when it is full, so removals cannot fall behind
/// without limit); <see cref="FlushAsync"/> waits for everything queued, <see cref="DisposeAsync"/>
/// flushes and stops (call it on host shutdown: the hosting package does). A volume that still cannot be
/// removed is logged and counted (<c>volumegen.volume.cleanup.failures</c>) and left to the sweeper,
/// as is everything queued when the process dies: each volume carries its creator's identity, so the
/// sweeper takes it once the process is gone.
/// </summary>
public sealed class BackgroundVolumeCleanup : IAsyncDisposable
{
    private readonly Channel<DockerVolume> _queue;
    private readonly Task[] _workers;
    private readonly ILogger _logger;
    private readonly VolumeGenInstruments _metrics;
    private int _pending;
    private TaskCompletionSource _idle = NewIdle(completed: true);

    /// <summary>
    /// Starts <paramref name="workers"/> removers over a queue of <paramref name="capacity"/> volumes,
    /// logging to <paramref name="loggerFactory"/> and counting the queue on <paramref name="meterFactory"/>'s meter (null: the process's).
    /// </summary>
    public BackgroundVolumeCleanup(int capacity = 256, int workers = 2, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _logger = loggerFactory?.CreateLogger<BackgroundVolumeCleanup>() ?? NullLogger<BackgroundVolumeCleanup>.Instance;
        _metrics = VolumeGenMetrics.For(meterFactory);
        _queue = Channel.CreateBounded<DockerVolume>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(RemoveQueuedAsync)).ToArray();
    }

    /// <summary>Volumes queued or being removed.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Queues <paramref name="volumes"/> (null entries skipped); waits only while the queue is full.
    /// After <see cref="DisposeAsync"/> they are removed right away, before this returns.
    /// </summary>
    /// <exception cref="VolumeCleanupException">Disposed already, and a volume could not be removed.</exception>
    public async Task EnqueueAsync(params IsolatedContainerVolume?[] volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        await EnqueueAsync(volumes.Select(v => v?.Docker).ToList()).ConfigureAwait(false);
    }

    /// <summary>The same, for the volumes of a run on the Docker backend.</summary>
    internal async Task EnqueueAsync(IReadOnlyList<DockerVolume?> volumes)
    {
        var late = new List<DockerVolume>();
        foreach (var volume in volumes.OfType<DockerVolume>())
        {
            lock (_queue)
            {
                if (_pending++ == 0)
                {
                    _idle = NewIdle(completed: false);
                }
            }

            _metrics.CleanupQueued(1);
            try
            {
                await _queue.Writer.WriteAsync(volume).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                Done();
                late.Add(volume);
            }
        }

        if (late.Count > 0)
        {
            await RunCleanup.RemoveAsync(null, late).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every volume queued so far is removed (or reported leaked).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        lock (_queue)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Removes everything queued, then stops the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private async Task RemoveQueuedAsync()
    {
        await foreach (var volume in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await volume.CleanupAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Already logged, counted and registered for the sweeper by the volume's cleanup.
                Log.BackgroundCleanupFailed(_logger, e, volume.Name);
            }
            finally
            {
                Done();
            }
        }
    }

    private void Done()
    {
        _metrics.CleanupQueued(-1);
        lock (_queue)
        {
            if (--_pending == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            idle.TrySetResult();
        }

        return idle;
    }
}
