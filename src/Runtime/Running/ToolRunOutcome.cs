namespace VolumeGen;

/// <summary>What a tool run returned: the container's result and every requested output file.</summary>
public sealed class ToolRunOutcome
{
    private readonly IReadOnlyDictionary<string, (ToolOutputKind Kind, object? Value)> _files;

    internal ToolRunOutcome(ToolRunResult result, IReadOnlyDictionary<string, (ToolOutputKind Kind, object? Value)> files)
    {
        Result = result;
        _files = files;
    }

    /// <summary>The tool container's exit code, captured output and duration.</summary>
    public ToolRunResult Result { get; }

    /// <summary>A text output; null when it was optional and missing.</summary>
    /// <exception cref="KeyNotFoundException">It was not requested as a text output.</exception>
    public string? Text(string name) => Get<string>(name, ToolOutputKind.Text);

    /// <summary>A bytes output; null when it was optional and missing.</summary>
    /// <exception cref="KeyNotFoundException">It was not requested as a bytes output.</exception>
    public byte[]? Bytes(string name) => Get<byte[]>(name, ToolOutputKind.Bytes);

    /// <summary>Whether a stream output was copied into its destination (false: it was optional, and missing or not wanted).</summary>
    /// <exception cref="KeyNotFoundException">It was not requested as a stream output.</exception>
    public bool Copied(string name) => Get<object>(name, ToolOutputKind.Stream) is not null;

    private T? Get<T>(string name, ToolOutputKind kind)
        where T : class =>
        _files.TryGetValue(name, out var file) && file.Kind == kind
            ? (T?)file.Value
            : throw new KeyNotFoundException($"'{name}' was not requested as a {kind.ToString().ToLowerInvariant()} output of this run");
}
