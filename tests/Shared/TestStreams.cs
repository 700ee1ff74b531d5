using System.Security.Cryptography;

// Shared by the integration tests and the benchmarks (linked into both projects).
namespace VolumeGen.Testing;

/// <summary>A deterministic, unseekable byte source of any length, generated on the fly.</summary>
internal sealed class PatternStream(long length) : Stream
{
    private long _position;

    public static byte[] Hash(long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var stream = new PatternStream(length);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return hash.GetHashAndReset();
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Byte p is (byte)(p * 31) ^ (byte)(p >> 11). The first term depends on p % 256 only, the second
    // is constant over each 2048-byte block: a block is a slice of this table XOR one byte. Fast
    // enough that a benchmark's source does not take the CPU the transfer it measures needs.
    private static readonly byte[] Cycle = Enumerable.Range(0, BlockBytes + 256).Select(i => (byte)(i * 31)).ToArray();

    private const int BlockBytes = 2048;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        for (var done = 0; done < n;)
        {
            var p = _position + done;
            var run = Math.Min(n - done, BlockBytes - (int)(p % BlockBytes));
            var block = buffer.Slice(done, run);
            Cycle.AsSpan((int)(p % 256), run).CopyTo(block);
            Xor(block, (byte)(p >> 11));
            done += run;
        }

        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

    private static void Xor(Span<byte> block, byte value)
    {
        var i = 0;
        var vector = new System.Numerics.Vector<byte>(value);
        for (; i <= block.Length - System.Numerics.Vector<byte>.Count; i += System.Numerics.Vector<byte>.Count)
        {
            (new System.Numerics.Vector<byte>(block[i..]) ^ vector).CopyTo(block[i..]);
        }

        for (; i < block.Length; i++)
        {
            block[i] ^= value;
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Counts and hashes what is written to it, keeping nothing.</summary>
internal sealed class HashingSink : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public byte[] Hash() => _hash.GetHashAndReset();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _hash.Dispose();
        base.Dispose(disposing);
    }
}
