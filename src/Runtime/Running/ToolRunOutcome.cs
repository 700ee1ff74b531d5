namespace VolumeGen;

/// <summary>What a tool run returned: the container's result and every requested output file.</summary>
public sealed class ToolRunOutcome
{
    private readonly IReadOnlyDictionary<string, (ToolOutputKind Kind, object? Value)> _files;
    private readonly IReadOnlyDictionary<string, (ToolOutputKind Kind, object? Value)> _directories;

    internal ToolRunOutcome(ToolRunResult result, StagedOutputs outputs)
    {
        Result = result;
        _files = outputs.Files;
        _directories = outputs.Directories;
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

    /// <summary>The text files of an output folder by relative path; null when it was optional and missing.</summary>
    /// <exception cref="KeyNotFoundException">It was not requested as a text output folder.</exception>
    public IReadOnlyDictionary<string, string>? TextFiles(string directory) => Get<IReadOnlyDictionary<string, string>>(_directories, directory, ToolOutputKind.Text, "folder");

    /// <summary>The files of an output folder, byte for byte, by relative path; null when it was optional and missing.</summary>
    /// <exception cref="KeyNotFoundException">It was not requested as a bytes output folder.</exception>
    public IReadOnlyDictionary<string, byte[]>? ByteFiles(string directory) => Get<IReadOnlyDictionary<string, byte[]>>(_directories, directory, ToolOutputKind.Bytes, "folder");

    private T? Get<T>(string name, ToolOutputKind kind)
        where T : class => Get<T>(_files, name, kind, "output");

    private static T? Get<T>(IReadOnlyDictionary<string, (ToolOutputKind Kind, object? Value)> outputs, string name, ToolOutputKind kind, string what)
        where T : class =>
        outputs.TryGetValue(name, out var output) && output.Kind == kind
            ? (T?)output.Value
            : throw new KeyNotFoundException($"'{name}' was not requested as a {kind.ToString().ToLowerInvariant()} {what} of this run");
}

/// <summary>What a backend staged out: the requested files and folders by name, with the kind each was read as (null: optional and missing).</summary>
internal sealed record StagedOutputs(
    IReadOnlyDictionary<string, (ToolOutputKind Kind, object? Value)> Files,
    IReadOnlyDictionary<string, (ToolOutputKind Kind, object? Value)> Directories);
