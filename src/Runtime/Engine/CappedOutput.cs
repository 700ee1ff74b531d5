using System.Text;

namespace VolumeGen.Engine;

/// <summary>
/// Keeps the first <c>cap</c> bytes of a stream and counts the rest. Decoding happens once at the
/// end, so a multibyte character split across reads is never mangled.
/// </summary>
internal sealed class CappedOutput(int cap)
{
    private readonly MemoryStream _kept = new();

    public bool Truncated { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var room = cap - (int)_kept.Length;
        if (bytes.Length > room)
        {
            Truncated = true;
            bytes = bytes[..Math.Max(0, room)];
        }

        _kept.Write(bytes);
    }

    public string Text() => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
}
