namespace VolumeGen;

/// <summary>
/// A tool declared once and run many times: its spec (without tenant, run or mounts), where its
/// input and output folders appear, and which outputs every run reads back. Generated wrappers keep
/// one per tool in a static field; hand-written code can do the same. A run adds what varies
/// (<see cref="ToolRunValues"/>) through <see cref="ToolRunContext.RunAsync"/>.
/// </summary>
/// <param name="Tool">Image, command, user, limits, network, timeout; its tenant and run come from the context.</param>
public sealed record ToolDefinition(ToolRunSpec Tool)
{
    /// <summary>Where the inputs appear in the tool's container.</summary>
    public string InputMount { get; init; } = "/inputs";

    /// <summary>Where the tool writes its outputs.</summary>
    public string OutputMount { get; init; } = "/outputs";

    /// <summary>
    /// The output files every run reads back (a stream output takes its destination from
    /// <see cref="ToolRunValues.Destinations"/>). Null, with <see cref="OutputDirectories"/> null too:
    /// the tool gets no output folder.
    /// </summary>
    public IReadOnlyList<ToolOutputFile>? Outputs { get; init; }

    /// <summary>The output folders every run reads back.</summary>
    public IReadOnlyList<ToolOutputDirectory>? OutputDirectories { get; init; }

    /// <summary>Read the outputs back even when the tool exits non-zero (otherwise that fails the run).</summary>
    public bool AllowNonZeroExit { get; init; }
}
