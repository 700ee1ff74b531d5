using System.Collections;
using System.Globalization;

namespace VolumeGen;

/// <summary>
/// What one run of a <see cref="ToolDefinition"/> brings: its input files, environment values,
/// the destinations of stream outputs, and a command line when values go into it. Written with
/// collection initializers, e.g. <c>Inputs = new() { { "domains.txt", domains } }</c>.
/// </summary>
public sealed class ToolRunValues
{
    /// <summary>The files written into the input folder. Null: the tool gets no input folder; empty: an empty one.</summary>
    public ToolInputs? Inputs { get; init; }

    /// <summary>Environment values added to the definition's (a null value leaves the variable unset).</summary>
    public ToolEnvironment Environment { get; } = new();

    /// <summary>Secret environment values (see <see cref="ToolRunSpec.SecretEnvironment"/>): passed to the tool, never logged.</summary>
    public ToolEnvironment SecretEnvironment { get; } = new();

    /// <summary>Where each stream output is copied, by output name (null: an optional one that is not wanted this time).</summary>
    public Dictionary<string, Stream?> Destinations { get; } = new(StringComparer.Ordinal);

    /// <summary>This run's arguments, replacing the definition's (values checked with <see cref="ToolArguments"/>); null keeps them.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>This run's entrypoint, replacing the definition's; null keeps it.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }
}

/// <summary>A run's input files by name; a null value is no file (an unset optional input).</summary>
public sealed class ToolInputs : IEnumerable<VolumeFile>
{
    private readonly List<VolumeFile> _files = [];

    /// <summary>A text file, UTF-8 without byte-order mark; nothing when <paramref name="text"/> is null.</summary>
    public void Add(string name, string? text)
    {
        if (text is not null)
        {
            _files.Add(VolumeFile.FromText(name, text));
        }
    }

    /// <summary>A binary file; nothing when <paramref name="bytes"/> is null.</summary>
    public void Add(string name, byte[]? bytes)
    {
        if (bytes is not null)
        {
            _files.Add(VolumeFile.FromBytes(name, bytes));
        }
    }

    /// <summary>A binary file.</summary>
    public void Add(string name, ReadOnlyMemory<byte> bytes) => _files.Add(VolumeFile.FromBytes(name, bytes));

    /// <summary>A file streamed from <paramref name="content"/> (spooled first when its length is unknown); nothing when it is null.</summary>
    public void Add(string name, Stream? content)
    {
        if (content is not null)
        {
            _files.Add(VolumeFile.FromStream(name, content));
        }
    }

    /// <summary>A file as it is.</summary>
    public void Add(VolumeFile file) => _files.Add(file);

    /// <inheritdoc/>
    public IEnumerator<VolumeFile> GetEnumerator() => _files.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Environment values by variable name, formatted invariantly; a null value leaves the variable unset.</summary>
public sealed class ToolEnvironment : IEnumerable<KeyValuePair<string, string>>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>How many variables are set.</summary>
    public int Count => _values.Count;

    /// <summary>A text value.</summary>
    /// <exception cref="ArgumentException">The variable is set twice.</exception>
    public void Add(string name, string? value)
    {
        if (value is not null)
        {
            _values.Add(name, value);
        }
    }

    /// <summary>A number, formatted invariantly.</summary>
    public void Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public void Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
