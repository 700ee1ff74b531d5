namespace VolumeGen;

/// <summary>How an output file is handed back.</summary>
public enum ToolOutputKind
{
    /// <summary>Decoded as UTF-8 text.</summary>
    Text,

    /// <summary>The file's bytes.</summary>
    Bytes,

    /// <summary>Streamed into the caller's <see cref="ToolOutputFile.Destination"/>, never held in memory.</summary>
    Stream,
}

/// <summary>One file the tool writes into its output folder and the run reads back.</summary>
/// <param name="Name">The file's path relative to the output folder (validated like every VolumeGen name).</param>
/// <param name="Kind">Text or bytes.</param>
/// <param name="Optional">A missing optional file reads back as null; a missing required one fails the run.</param>
public sealed record ToolOutputFile(string Name, ToolOutputKind Kind = ToolOutputKind.Text, bool Optional = false)
{
    /// <summary>
    /// Where a <see cref="ToolOutputKind.Stream"/> output is copied (required for a required output;
    /// an optional one without a destination is not read): written
    /// as the file is read, so an output larger than memory passes through. A failure after some
    /// bytes were written leaves them there; the run fails.
    /// </summary>
    public Stream? Destination { get; init; }
}

/// <summary>
/// A folder the tool writes into its output folder: it exists, empty and owned by the tool's user,
/// when the tool starts (with its parents); every regular file under it (subfolders included) is read back in one request, bounded like every read (see
/// <see cref="IsolatedContainerVolume.ReadDirectoryAsync"/>), keyed by its path relative to the folder.
/// </summary>
/// <param name="Name">The folder's path relative to the output folder (validated like every VolumeGen name).</param>
/// <param name="Kind">Text or bytes (every file alike).</param>
/// <param name="Optional">
/// An optional folder the tool removed reads back as null; a required one removed (or replaced by a file) fails the run.
/// </param>
public sealed record ToolOutputDirectory(string Name, ToolOutputKind Kind = ToolOutputKind.Text, bool Optional = false);

/// <summary>
/// A whole tool run for <see cref="ContainerToolRunner.RunToolAsync"/>: the tool (its
/// <see cref="ToolRunSpec.TenantId"/> and <see cref="ToolRunSpec.RunId"/> name the run, its mounts are
/// made by the run), the files written into its input folder (mounted read-only) and the files read
/// back from its output folder (an empty volume of its own, mounted read-write).
/// </summary>
/// <param name="Tool">The tool: image, command, user, limits, environment, timeout. Without mounts.</param>
public sealed record ToolRunRequest(ToolRunSpec Tool)
{
    /// <summary>Where the inputs appear in the tool's container.</summary>
    public string InputMount { get; init; } = "/inputs";

    /// <summary>Where the tool writes its outputs.</summary>
    public string OutputMount { get; init; } = "/outputs";

    /// <summary>
    /// The files written into the input folder before the tool starts. Null: the tool gets no input
    /// folder; empty: an empty one.
    /// </summary>
    public IReadOnlyList<VolumeFile>? Inputs { get; init; }

    /// <summary>
    /// The files read back after the tool exits: all of them or none (the run fails). Null: the tool
    /// gets no output folder; empty: a writable one that nothing is read from.
    /// </summary>
    public IReadOnlyList<ToolOutputFile>? Outputs { get; init; }

    /// <summary>
    /// The folders read back after the tool exits, like <see cref="Outputs"/>: all or none. Either
    /// property being non-null gives the tool an output folder.
    /// </summary>
    public IReadOnlyList<ToolOutputDirectory>? OutputDirectories { get; init; }

    /// <summary>Read the outputs back even when the tool exits non-zero (otherwise that fails the run).</summary>
    public bool AllowNonZeroExit { get; init; }

    /// <summary>Volume settings; null takes the runner's (when they are <see cref="IsolatedVolumeOptions"/>) or the defaults.</summary>
    public IsolatedVolumeOptions? VolumeOptions { get; init; }

    /// <summary>Whether the tool gets an output folder.</summary>
    internal bool HasOutputFolder => Outputs is not null || OutputDirectories is not null;
}
