using System.Globalization;
using System.Text;

namespace VolumeGen.Validation;

/// <summary>
/// The one escaping rule for text that a tool, an image or the engine controls (file names, stdout
/// and stderr tails, labels, image config values) on its way into a message, a log or a terminal:
/// control characters (escape sequences rewrite a screen or its title, a newline forges a log line)
/// and bidirectional controls (which reorder what is shown) become <c>\uXXXX</c>; everything else
/// stays as it is. JSON output is escaped by its serializer instead.
/// </summary>
internal static class Printable
{
    /// <summary><paramref name="text"/> made safe to print; null is empty.</summary>
    public static string Of(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(IsUnsafe))
        {
            return text ?? "";
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' or '\u200e' or '\u200f' or '\u061c';
}
