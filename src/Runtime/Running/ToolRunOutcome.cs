namespace VolumeGen;

/// <summary>What a tool run returned: the container's result and every output its definition reads back.</summary>
public sealed class ToolRunOutcome
{
    private readonly IReadOnlyDictionary<ToolOutput, object?> _outputs;

    internal ToolRunOutcome(ToolRunResult result, IReadOnlyDictionary<ToolOutput, object?> outputs)
    {
        Result = result;
        _outputs = outputs;
    }

    /// <summary>The tool container's exit code, captured output and duration.</summary>
    public ToolRunResult Result { get; }

    /// <summary>
    /// What <paramref name="output"/> read back: a file's text or bytes, a folder's files by relative
    /// path, or the destination a stream output was copied into; null when it was optional and missing
    /// (or, for a stream, not wanted this run).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The run's definition does not read <paramref name="output"/> back.</exception>
    public T? Get<T>(ToolOutput<T> output)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(output);
        return _outputs.TryGetValue(output, out var value)
            ? (T?)value
            : throw new KeyNotFoundException($"'{output.Name}' is not a {output.GetType().Name} this run read back");
    }
}
