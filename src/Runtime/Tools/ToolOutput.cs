namespace VolumeGen;

/// <summary>
/// One thing a run reads back from the tool's output folder: a file (<see cref="TextOutputFile"/>,
/// <see cref="BytesOutputFile"/>, <see cref="StreamOutputFile"/>) or a folder
/// (<see cref="TextOutputDirectory"/>, <see cref="BytesOutputDirectory"/>), as the [OutputFile] and
/// [OutputDirectory] attributes declare them. Declared once in a <see cref="ToolDefinition"/>; the
/// same instance (or an equal one) reads the value back, typed, from <see cref="ToolRunOutcome.Get{T}"/>.
/// An output is identified by its kind and name (a definition reads each once): two of the same kind
/// and name are equal whatever their <see cref="Optional"/>.
/// </summary>
public abstract record ToolOutput
{
    // Only the kinds below: the runtime reads each one its own way.
    private protected ToolOutput(string name, bool optional)
    {
        Name = name;
        Optional = optional;
    }

    /// <summary>The path relative to the output folder, '/'-separated (validated like every VolumeGen name).</summary>
    public string Name { get; init; }

    /// <summary>
    /// A missing optional output reads back as null; a missing required one fails the run with
    /// <see cref="VolumeFileNotFoundException"/>. A folder is missing when the tool removed it (it exists,
    /// empty, when the tool starts).
    /// </summary>
    public bool Optional { get; init; }

    /// <summary>Whether <paramref name="other"/> is an output of the same kind and name.</summary>
    public virtual bool Equals(ToolOutput? other) =>
        other is not null && EqualityContract == other.EqualityContract && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(EqualityContract, StringComparer.Ordinal.GetHashCode(Name ?? ""));

    /// <summary>How the file, or every file of the folder, is read.</summary>
    internal abstract ToolOutputKind Kind { get; }

    /// <summary>A folder, read whole, rather than one file.</summary>
    internal virtual bool IsDirectory => false;
}

/// <summary>An output whose value reads back as <typeparamref name="T"/>.</summary>
/// <typeparam name="T">What <see cref="ToolRunOutcome.Get{T}"/> returns for it.</typeparam>
public abstract record ToolOutput<T> : ToolOutput
    where T : class
{
    private protected ToolOutput(string name, bool optional)
        : base(name, optional)
    {
    }
}

/// <summary>A file read back as UTF-8 text, within <see cref="IsolatedVolumeOptions.MaxFileBytes"/> and the text outputs' shared <see cref="IsolatedVolumeOptions.MaxTotalBytes"/>.</summary>
/// <param name="Name">The file's path relative to the output folder.</param>
/// <param name="Optional">A missing optional file reads back as null.</param>
public sealed record TextOutputFile(string Name, bool Optional = false) : ToolOutput<string>(Name, Optional)
{
    internal override ToolOutputKind Kind => ToolOutputKind.Text;
}

/// <summary>A file read back byte for byte, within <see cref="IsolatedVolumeOptions.MaxFileBytes"/>.</summary>
/// <param name="Name">The file's path relative to the output folder.</param>
/// <param name="Optional">A missing optional file reads back as null.</param>
public sealed record BytesOutputFile(string Name, bool Optional = false) : ToolOutput<byte[]>(Name, Optional)
{
    internal override ToolOutputKind Kind => ToolOutputKind.Bytes;
}

/// <summary>
/// A file copied into the stream each run names in <see cref="ToolRunRequest.Destinations"/> as it is
/// read, never held in memory (within <see cref="IsolatedVolumeOptions.MaxStreamedFileBytes"/>), so an
/// output larger than memory passes through; a failure after some bytes were written leaves them there
/// and fails the run. It reads back as that destination, or null when it was optional and missing or
/// not wanted (an optional one without a destination is not read).
/// </summary>
/// <param name="Name">The file's path relative to the output folder.</param>
/// <param name="Optional">A missing optional file reads back as null; a required one needs a destination.</param>
public sealed record StreamOutputFile(string Name, bool Optional = false) : ToolOutput<Stream>(Name, Optional)
{
    internal override ToolOutputKind Kind => ToolOutputKind.Stream;
}

/// <summary>
/// A folder whose regular files (subfolders included) read back as UTF-8 text, keyed by their path
/// relative to the folder, in the run's one archive request and bounded like every read (see
/// <see cref="IsolatedContainerVolume.ReadDirectoryAsync"/>). It exists, empty and owned by the tool's
/// user, when the tool starts (with its parents).
/// </summary>
/// <param name="Name">The folder's path relative to the output folder.</param>
/// <param name="Optional">An optional folder the tool removed reads back as null; a required one removed (or replaced by a file) fails the run.</param>
public sealed record TextOutputDirectory(string Name, bool Optional = false) : ToolOutput<IReadOnlyDictionary<string, string>>(Name, Optional)
{
    internal override ToolOutputKind Kind => ToolOutputKind.Text;

    internal override bool IsDirectory => true;
}

/// <summary>A folder like <see cref="TextOutputDirectory"/> whose files read back byte for byte.</summary>
/// <param name="Name">The folder's path relative to the output folder.</param>
/// <param name="Optional">An optional folder the tool removed reads back as null; a required one removed (or replaced by a file) fails the run.</param>
public sealed record BytesOutputDirectory(string Name, bool Optional = false) : ToolOutput<IReadOnlyDictionary<string, byte[]>>(Name, Optional)
{
    internal override ToolOutputKind Kind => ToolOutputKind.Bytes;

    internal override bool IsDirectory => true;
}

/// <summary>How an output's bytes are handed back.</summary>
internal enum ToolOutputKind
{
    /// <summary>Decoded as UTF-8 text.</summary>
    Text,

    /// <summary>The bytes themselves.</summary>
    Bytes,

    /// <summary>Copied into the run's destination as read.</summary>
    Stream,
}
