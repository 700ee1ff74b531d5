namespace VolumeGen.Archives;

/// <summary>
/// Answers zero-length reads itself. TarReader's entry stream issues a zero-length read once an
/// entry's data is consumed, and Docker.DotNet's chunked HTTP response stream throws
/// EndOfStreamException for it when the read falls on a chunk boundary (seen with Docker 20.10).
/// </summary>
internal sealed class NoEmptyReadStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    public override int Read(byte[] buffer, int offset, int count) => count == 0 ? 0 : Inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => buffer.IsEmpty ? 0 : Inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        count == 0 ? Task.FromResult(0) : Inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        buffer.IsEmpty ? ValueTask.FromResult(0) : Inner.ReadAsync(buffer, cancellationToken);
}
