using System.Runtime.InteropServices;
using System.Text;
using VolumeGen.Archives;

namespace VolumeGen;

/// <summary>
/// One file to write into a volume: text, bytes, or a stream that is copied without being buffered.
/// </summary>
public sealed class VolumeFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly Stream? _stream;

    private VolumeFile(string name, ReadOnlyMemory<byte> bytes, Stream? stream, long? length)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        _bytes = bytes;
        _stream = stream;
        Length = length;
    }

    /// <summary>The file's path relative to the volume root, '/'-separated.</summary>
    public string Name { get; }

    /// <summary>
    /// The number of bytes that will be written; null for a stream of unknown length, which is
    /// spooled to a temporary file when the volume is initialized (a tar header needs the size first).
    /// </summary>
    public long? Length { get; }

    /// <summary>A text file, encoded as UTF-8 without a byte-order mark unless another encoding is given.</summary>
    public static VolumeFile FromText(string name, string text, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = (encoding ?? Utf8NoBom).GetBytes(text);
        return new VolumeFile(name, bytes, null, bytes.Length);
    }

    /// <summary>A binary file, written byte for byte.</summary>
    public static VolumeFile FromBytes(string name, ReadOnlyMemory<byte> bytes) =>
        new(name, bytes, null, bytes.Length);

    /// <summary>
    /// A file streamed from <paramref name="content"/> (from its current position), read once and not
    /// disposed. With a length (given, or taken from a seekable stream) it goes straight into the
    /// upload; a stream of unknown length (a network stream, a pipe, a <c>GZipStream</c>) is first
    /// spooled to a private temporary file, bounded by <see cref="IsolatedVolumeOptions.MaxStreamedFileBytes"/>,
    /// because a tar header carries the size before the data. The spool file is deleted on every path.
    /// </summary>
    public static VolumeFile FromStream(string name, Stream content, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(content));
        }

        var size = length ?? (content.CanSeek ? content.Length - content.Position : null);
        if (size is { } known)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(known, nameof(length));
        }

        return new VolumeFile(name, ReadOnlyMemory<byte>.Empty, content, size);
    }

    /// <summary>The stream of unknown length that must be spooled before the upload, if this is one.</summary>
    internal Stream? StreamToSpool => Length is null ? _stream : null;

    /// <summary>Opens the content for the tar writer: exactly <see cref="Length"/> bytes.</summary>
    internal Stream OpenContent() => _stream is not null
        ? new ExactLengthReadStream(_stream, Length ?? throw new InvalidOperationException($"'{Name}' was not spooled."), Name)
        : MemoryMarshal.TryGetArray(_bytes, out var segment) // no copy for array-backed memory
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(_bytes.ToArray(), writable: false);
}
