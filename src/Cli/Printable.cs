using System.Globalization;
using System.Text;

namespace VolumeGen.Cli;

/// <summary>
/// Text from the engine (labels, names, errors) made safe for a terminal: control characters
/// (escape sequences could rewrite the screen or the title) and bidirectional overrides (which
/// reorder what is shown) are printed as <c>\uXXXX</c>. JSON output is escaped by its serializer.
/// </summary>
internal static class Printable
{
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
