namespace VolumeGen;

/// <summary>Settings of an <see cref="IsolatedContainerVolume"/>.</summary>
public sealed class IsolatedVolumeOptions : DockerConnectionOptions
{
    /// <summary>The helper image VolumeGen imports itself when missing (an empty filesystem, no registry needed).</summary>
    public const string DefaultHelperImage = "volumegen/helper:1";

    /// <summary>The uid distroless "nonroot" images run as.</summary>
    public const int NonRootId = 65532;

    /// <summary>
    /// The image of the never-started helper containers through which files are copied. The default
    /// is created on first use; a custom image must already exist. Its filesystem is never read.
    /// </summary>
    public string HelperImage { get; init; } = DefaultHelperImage;

    /// <summary>
    /// Owner uid of the volume root and of every written file and directory, for volumes created
    /// without a <see cref="ToolUser"/> (the constructor taking one is how a volume follows its tool).
    /// </summary>
    public int OwnerUid { get; init; } = NonRootId;

    /// <summary>Owner gid, like <see cref="OwnerUid"/>.</summary>
    public int OwnerGid { get; init; } = NonRootId;

    /// <summary>Mode of written files: owner read-write, group read, nothing for others (never world-writable).</summary>
    public UnixFileMode FileMode { get; init; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>Mode of the volume root and of created directories: the owner may write outputs into it.</summary>
    public UnixFileMode DirectoryMode { get; init; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>Largest file <see cref="IsolatedContainerVolume.ReadFilesAsync"/> and <see cref="IsolatedContainerVolume.ReadFileBytesAsync"/> accept.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest file <see cref="IsolatedContainerVolume.CopyFileToAsync"/> streams, and largest input
    /// stream of unknown length that is spooled to disk before an upload.
    /// </summary>
    public long MaxStreamedFileBytes { get; init; } = 16L * 1024 * 1024 * 1024;

    /// <summary>
    /// How much a run's read-back carries besides the requested outputs (what else the tool wrote into
    /// its output folder: data, plus 1 KiB per file, folder or link), charged from each entry's header
    /// before its data moves. Past it, the one archive of the whole output folder is abandoned and each
    /// output still missing is read through its own archive: a tool's unrequested bytes (a sparse
    /// terabyte, a million tiny files, a deep tree) cost the worker and the daemon at most this.
    /// </summary>
    public long MaxUnrequestedBytes
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxUnrequestedBytes), value, "Must not be negative (0: every output through its own archive).");
    } = 16L * 1024 * 1024;

    /// <summary>
    /// The deadline of a run's whole read-back, however steadily bytes move (the inactivity timeout
    /// alone would let a slow trickle go on for ever); past it the run fails with <see cref="VolumeStageOutTimeoutException"/>.
    /// </summary>
    public TimeSpan StageOutTimeout
    {
        get;
        // A timer cannot be set further out (CancelAfter takes at most 2^32-2 ms, about 49.7 days).
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromDays(49)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(StageOutTimeout), value, "Must be positive and at most 49 days.");
    } = TimeSpan.FromMinutes(10);

    /// <summary>Largest total of one <see cref="IsolatedContainerVolume.ReadFilesAsync"/> call.</summary>
    public long MaxTotalBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Largest total of everything read into memory from one volume over its whole life
    /// (<see cref="IsolatedContainerVolume.ReadFilesAsync"/> and <see cref="IsolatedContainerVolume.ReadFileBytesAsync"/>
    /// together): the budget of one run's read-back, however many calls it makes. Streamed reads
    /// (<see cref="IsolatedContainerVolume.CopyFileToAsync"/>) go to the caller's destination and count against
    /// <see cref="MaxStreamedFileBytes"/> instead.
    /// </summary>
    public long MaxBufferedReadBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Most files one <see cref="IsolatedContainerVolume.ReadFilesAsync"/> call may ask for.</summary>
    public int MaxEntries { get; init; } = 1024;

    /// <summary>Where input streams of unknown length are spooled; null is the system's temporary directory.</summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>How many times cleanup tries to remove the volume before reporting it leaked.</summary>
    public int CleanupAttempts { get; init; } = 5;

    /// <summary>The pause before the first cleanup retry; it doubles with each retry.</summary>
    public TimeSpan CleanupRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// When set, a tool run (<see cref="ContainerToolRunner.RunToolAsync"/>, generated wrappers) hands
    /// its volumes to this background cleanup instead of removing them before it returns: lower latency
    /// per run, the same removal with retries afterwards. A failure to remove is then logged and counted
    /// instead of attached to the run's result. Null (the default): removed before the run returns.
    /// </summary>
    public BackgroundVolumeCleanup? BackgroundCleanup { get; init; }

    /// <summary>The defaults.</summary>
    public IsolatedVolumeOptions()
    {
    }

    private IsolatedVolumeOptions(DockerConnectionOptions connection)
        : base(connection)
    {
    }

    /// <summary>The instance used when none is given.</summary>
    internal static IsolatedVolumeOptions Default { get; } = new();

    /// <summary>
    /// The volume settings for a runner on <paramref name="connection"/>: those options themselves when
    /// they are volume settings, else the defaults on the same engine (never another one's).
    /// </summary>
    internal static IsolatedVolumeOptions On(DockerConnectionOptions connection) =>
        connection as IsolatedVolumeOptions ?? new IsolatedVolumeOptions(connection);
}
