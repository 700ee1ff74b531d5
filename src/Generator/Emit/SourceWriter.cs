using System.Text;

namespace VolumeGen.Generator.Emit;

/// <summary>A small indented text writer (four spaces per level, '\n' line endings on every OS).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(line);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/> (unless empty: an initializer right after a closing one) and an opening brace, and indents.</summary>
    public SourceWriter Open(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Unindents and writes a closing brace (with an optional suffix such as ");").</summary>
    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
