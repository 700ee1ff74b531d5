// Shared by the runtime tests, the integration tests and the benchmarks (linked into each).
namespace VolumeGen.Testing;

/// <summary>
/// Unseekable, like a network stream: delivers <c>firstBytes</c> at once, then, with a trickle,
/// <c>trickleSize</c> bytes (of value 1) every <c>trickleEvery</c>, <c>trickleCount</c> times, and
/// ends; without one it waits forever (until its token is cancelled) instead of ending, as a hung peer does.
/// </summary>
internal sealed class StallingStream(int firstBytes, TimeSpan? trickleEvery = null, int trickleCount = 0, int trickleSize = 1) : Stream
{
    private int _first = firstBytes;
    private int _trickled;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_first > 0)
        {
            var n = Math.Min(_first, buffer.Length);
            buffer.Span[..n].Fill(7);
            _first -= n;
            return n;
        }

        if (trickleEvery is { } every && _trickled < trickleCount)
        {
            await Task.Delay(every, cancellationToken);
            var n = Math.Min(trickleSize, buffer.Length);
            buffer.Span[..n].Fill(1);
            _trickled++;
            return n;
        }

        if (trickleEvery is not null)
        {
            return 0; // a trickle ends
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
