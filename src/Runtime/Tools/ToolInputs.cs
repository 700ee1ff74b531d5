using System.Collections;
using System.Globalization;

namespace VolumeGen;

/// <summary>
/// A run's input files (<see cref="ToolRunRequest.Inputs"/>) written with a collection initializer,
/// e.g. <c>new ToolInputs { { "domains.txt", domains } }</c>; a null value is no file (an unset optional input).
/// </summary>
public sealed class ToolInputs : IReadOnlyList<VolumeFile>
{
    private readonly List<VolumeFile> _files = [];

    /// <inheritdoc/>
    public int Count => _files.Count;

    /// <inheritdoc/>
    public VolumeFile this[int index] => _files[index];

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

/// <summary>
/// Environment values by variable name (<see cref="ToolRunRequest.Environment"/>), formatted
/// invariantly, written with a collection initializer; a null value leaves the variable unset.
/// </summary>
public sealed class ToolEnvironment : IReadOnlyDictionary<string, string>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>How many variables are set.</summary>
    public int Count => _values.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc/>
    public IEnumerable<string> Values => _values.Values;

    /// <inheritdoc/>
    public string this[string key] => _values[key];

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => _values.TryGetValue(key, out value);

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
