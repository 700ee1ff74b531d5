namespace VolumeGen.Archives;

/// <summary>
/// Bounds a transfer by inactivity rather than by total time: its <see cref="Token"/> is cancelled
/// when no progress was reported for the timeout (or when the caller's token is). Streams wrapped by
/// <see cref="Watch"/> report progress on every byte they pass.
/// </summary>
internal sealed class TransferWatchdog : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly TimeSpan _timeout;
    private readonly Timer _timer;
    private long _lastProgress = Environment.TickCount64;

    public TransferWatchdog(TimeSpan timeout, CancellationToken callerToken)
    {
        _timeout = timeout;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
        _timer = new Timer(_ => Check(), null, period, period);
    }

    /// <summary>Cancelled on inactivity or by the caller.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>True once the transfer was cancelled for inactivity (not by the caller).</summary>
    public bool Stalled { get; private set; }

    public void Progress() => Volatile.Write(ref _lastProgress, Environment.TickCount64);

    /// <summary>A stream that reports progress to this watchdog on every read that returns data.</summary>
    public Stream Watch(Stream inner) => new ProgressStream(inner, this);

    public void Dispose()
    {
        _timer.Dispose();
        _cancel.Dispose();
    }

    private void Check()
    {
        if (!Stalled && Environment.TickCount64 - Volatile.Read(ref _lastProgress) > _timeout.TotalMilliseconds)
        {
            Stalled = true;
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The transfer ended meanwhile.
            }
        }
    }

    private sealed class ProgressStream(Stream inner, TransferWatchdog watchdog) : ReadOnlyWrapperStream(inner)
    {
        public override int Read(byte[] buffer, int offset, int count) => Count(Inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            if (read > 0)
            {
                watchdog.Progress();
            }

            return read;
        }
    }
}
