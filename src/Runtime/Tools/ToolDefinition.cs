namespace VolumeGen;

/// <summary>
/// A tool declared once and run many times: its spec (without tenant, run or mounts), where its
/// input and output folders appear, and what every run reads back. Generated wrappers keep one per
/// tool in a static field; hand-written code can do the same. A run adds what varies in a
/// <see cref="ToolRunRequest"/>.
/// </summary>
/// <param name="Tool">Image, command, user, limits, network, timeout; its tenant and run are the request's.</param>
public sealed record ToolDefinition(ToolRunSpec Tool)
{
    /// <summary>Where the inputs appear in the tool's container (read-only).</summary>
    public string InputMount { get; init; } = "/inputs";

    /// <summary>Where the tool writes its outputs.</summary>
    public string OutputMount { get; init; } = "/outputs";

    /// <summary>
    /// The files and folders read back after the tool exits: all of them or none (the run fails).
    /// Null: the tool gets no output folder; empty: a writable one that nothing is read from.
    /// </summary>
    public IReadOnlyList<ToolOutput>? Outputs { get; init; }

    /// <summary>Read the outputs back even when the tool exits non-zero (otherwise that fails the run).</summary>
    public bool AllowNonZeroExit { get; init; }

    /// <summary>The definition of the generated tool <typeparamref name="TTool"/>.</summary>
    public static ToolDefinition Of<TTool>()
        where TTool : IContainerTool => TTool.Definition;

    /// <summary>Whether the tool gets an output folder.</summary>
    internal bool HasOutputFolder => Outputs is not null;
}
