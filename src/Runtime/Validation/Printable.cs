using System.Globalization;
using System.Text;

namespace VolumeGen.Validation;

/// <summary>
/// The one escaping rule for text that a tool, an image or the engine controls (file names, stdout
/// and stderr tails, labels, image config values) on its way into a message, a log or a terminal:
/// control characters (escape sequences rewrite a screen or its title, a newline forges a log line)
/// and bidirectional controls (which reorder what is shown), line and paragraph separators (line
/// breaks to some log viewers) and invisible format characters become <c>\uXXXX</c>; everything else
/// stays as it is. JSON output is escaped by its serializer instead.
/// </summary>
internal static class Printable
{
    /// <summary><paramref name="text"/> made safe to print, cut after <paramref name="maxChars"/> (saying so); null is empty.</summary>
    public static string Of(string? text, int maxChars = int.MaxValue)
    {
        if (text is not null && text.Length > maxChars)
        {
            return Of(text[..maxChars]) + string.Create(CultureInfo.InvariantCulture, $"... ({text.Length} characters)");
        }

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
        char.IsControl(c) || c is >= '\u200b' and <= '\u200f' or >= '\u2028' and <= '\u202e' or >= '\u2060' and <= '\u2069' or '\u061c' or '\u180e' or '\ufeff';
}
