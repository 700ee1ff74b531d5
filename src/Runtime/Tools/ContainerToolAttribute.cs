namespace VolumeGen;

/// <summary>
/// Marks a partial class as a wrapper around a containerized tool. The VolumeGen generator adds
/// <c>RunAsync(ToolRunContext, CancellationToken)</c>, which writes the <see cref="InputFileAttribute"/>
/// properties into a read-only input volume, runs the tool, reads the <see cref="OutputFileAttribute"/>
/// properties back from a separate output volume, and removes both volumes on every path.
/// </summary>
/// <param name="image">The tool image: <c>[registry/]repository[:tag][@digest]</c>, pulled as <see cref="PullPolicy"/> says.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
#if VOLUMEGEN_GENERATOR
// Compiled into the generator and analyzers too (as System.Text.Json's generator does with its
// attributes): names and defaults are read from here, never copied as strings. Internal there.
internal
#else
public
#endif
sealed class ContainerToolAttribute(string image) : Attribute
{
    /// <summary>The default mount point of the input volume.</summary>
    public const string DefaultInputMount = "/inputs";

    /// <summary>The default mount point of the output volume.</summary>
    public const string DefaultOutputMount = "/outputs";

    /// <summary>The default timeout, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 600;

    /// <summary>The tool image.</summary>
    public string Image { get; } = image;

    /// <summary>
    /// When the image is pulled (<see cref="ToolRunSpec.PullPolicy"/>). Left out: the runner's
    /// <see cref="DockerConnectionOptions.PullPolicy"/> decides (reading this property then gives
    /// <see cref="ImagePullPolicy.Never"/>, the enum's default; the generator reads whether it was written).
    /// </summary>
    public ImagePullPolicy PullPolicy { get; set; }

    /// <summary>
    /// The digest the image must have (<see cref="ToolRunSpec.ImageDigest"/>): <c>sha256:</c> and 64 hex
    /// digits, from the registry (a repo digest) or the image ID. A tag that names another image is
    /// refused before anything is created. Null: no check beyond a digest in <see cref="Image"/>.
    /// </summary>
    public string? ImageDigest { get; set; }

    /// <summary>Arguments (Docker's <c>Cmd</c>); null keeps the image's.</summary>
    public string[]? Command { get; set; }

    /// <summary>The entrypoint; null keeps the image's.</summary>
    public string[]? Entrypoint { get; set; }

    /// <summary>The user to run as, e.g. "65532"; null keeps the image's.</summary>
    public string? User { get; set; }

    /// <summary>The working directory; null keeps the image's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Where the input volume is mounted, read-only.</summary>
    public string InputMount { get; set; } = DefaultInputMount;

    /// <summary>Where the output volume is mounted, read-write.</summary>
    public string OutputMount { get; set; } = DefaultOutputMount;

    /// <summary>How long the tool may run before it is killed.</summary>
    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    /// <summary>When true, a non-zero exit code is returned in the result instead of thrown.</summary>
    public bool AllowNonZeroExit { get; set; }

    /// <summary>
    /// The tool's network (<see cref="ToolRunSpec.NetworkMode"/>); null keeps the default, none.
    /// Anything else gives the tool a network: writing it here is the opt-in.
    /// </summary>
    public string? NetworkMode { get; set; }

    /// <summary>The memory limit in bytes (<see cref="ToolRunSpec.MemoryBytes"/>); 0 keeps the default.</summary>
    public long MemoryBytes { get; set; }

    /// <summary>The CPU limit in CPUs (<see cref="ToolRunSpec.CpuLimit"/>); 0 keeps the default.</summary>
    public double CpuLimit { get; set; }

    /// <summary>The process limit (<see cref="ToolRunSpec.PidsLimit"/>); 0 keeps the default.</summary>
    public long PidsLimit { get; set; }
}
