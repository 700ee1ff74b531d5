namespace VolumeGen.Archives;

/// <summary>
/// Presents exactly <c>length</c> bytes of an inner stream as a seekable-looking stream, so the tar
/// writer can put the size in the header before streaming the data. A source that ends early or runs
/// longer than declared fails the write instead of producing a corrupt or truncated file.
/// </summary>
internal sealed class ExactLengthReadStream(Stream inner, long length, string fileName) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true; // Length and Position only; the tar writer never seeks.
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted == 0)
        {
            EnsureSourceEnded(inner.Read(stackalloc byte[1]));
            return 0;
        }

        var read = inner.Read(buffer[..wanted]);
        return Advance(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted == 0)
        {
            var probe = new byte[1];
            EnsureSourceEnded(await inner.ReadAsync(probe, cancellationToken).ConfigureAwait(false));
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        return Advance(read);
    }

    private int Advance(int read)
    {
        if (read == 0)
        {
            throw new IOException($"The stream for '{fileName}' ended after {_position} of {length} declared bytes.");
        }

        _position += read;
        return read;
    }

    private void EnsureSourceEnded(int extraBytes)
    {
        if (extraBytes != 0)
        {
            throw new IOException($"The stream for '{fileName}' is longer than its declared {length} bytes.");
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
