namespace VolumeGen.Runtime.Tests;

/// <summary>Wraps bytes or a stream as unseekable, like an HTTP body.</summary>
internal sealed class ForwardOnlyStream(Stream inner) : Stream
{
    public ForwardOnlyStream(byte[] bytes)
        : this(new MemoryStream(bytes))
    {
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
