using System.Collections.Generic;
using System.Text;

namespace VolumeGen.Declarations;

/// <summary>What one piece of a command-line argument is.</summary>
internal enum ArgumentPartKind
{
    /// <summary>Text as written.</summary>
    Literal,

    /// <summary>A property's value, checked and formatted at run time (never through a shell).</summary>
    Value,
}

/// <summary>
/// A piece of an argument: literal text (a file placeholder is already its in-container path), or
/// the value of the property named <see cref="Text"/>. <see cref="WholeArgument"/>: the value is the
/// whole argument, so it must not look like an option.
/// </summary>
internal sealed record ArgumentPart(ArgumentPartKind Kind, string Text, bool WholeArgument);

/// <summary>
/// Reads <c>{Name}</c> placeholders in Command and Entrypoint elements. <c>{{</c> and <c>}}</c> are
/// literal braces; <c>${...}</c> is left to a shell; a brace not around an identifier is literal.
/// </summary>
internal static class ArgumentTemplates
{
    /// <summary>The literal text and placeholder names of <paramref name="argument"/>, in order.</summary>
    public static List<(bool IsPlaceholder, string Text)> Split(string argument)
    {
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        for (var i = 0; i < argument.Length; i++)
        {
            var c = argument[i];
            if ((c == '{' || c == '}') && i + 1 < argument.Length && argument[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (c == '{' && (i == 0 || argument[i - 1] != '$') && IdentifierEnd(argument, i + 1) is var end && end > i + 1 && end < argument.Length && argument[end] == '}')
            {
                if (literal.Length > 0)
                {
                    parts.Add((false, literal.ToString()));
                    literal.Clear();
                }

                parts.Add((true, argument.Substring(i + 1, end - i - 1)));
                i = end;
                continue;
            }

            literal.Append(c);
        }

        if (literal.Length > 0 || parts.Count == 0)
        {
            parts.Add((false, literal.ToString()));
        }

        return parts;
    }

    private static int IdentifierEnd(string text, int start)
    {
        var end = start;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_') && (end > start || !char.IsDigit(text[end])))
        {
            end++;
        }

        return end;
    }
}
