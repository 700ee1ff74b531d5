namespace VolumeGen;

/// <summary>
/// What to run and how tightly to confine it. The defaults are the restricted profile: no network,
/// no capabilities, no privilege escalation, a read-only root filesystem with a small tmpfs /tmp,
/// and pids and memory limits. Each is a property you can relax explicitly.
/// </summary>
/// <param name="Image">The tool image: <c>[registry/]repository[:tag][@digest]</c> or a local image ID (<c>sha256:</c>...).</param>
public sealed record ToolRunSpec(string Image)
{
    /// <summary>When the image is pulled; null takes the runner's <see cref="DockerConnectionOptions.PullPolicy"/>.</summary>
    public ImagePullPolicy? PullPolicy { get; init; }

    /// <summary>
    /// The digest the image must have: a registry digest (<c>sha256:</c>..., what <c>docker push</c>
    /// prints and <c>RepoDigests</c> list) or the image ID. The image the reference resolves to (after any
    /// pull) is compared before anything is created; another image is refused with
    /// <see cref="ImageDigestMismatchException"/>. The container is created from that image's ID, so a
    /// tag moved meanwhile changes nothing. Null: no check beyond a digest in <see cref="Image"/>.
    /// </summary>
    public string? ImageDigest { get; init; }

    /// <summary>Arguments (Docker's <c>Cmd</c>); null keeps the image's.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>The entrypoint; null keeps the image's.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Environment variables for the tool (names: a letter or '_', then letters, digits or '_').</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>
    /// Environment variables whose values are secrets: passed to the tool like <see cref="Environment"/>,
    /// never logged or put in a message by VolumeGen. A name may not be in both.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SecretEnvironment { get; init; }

    /// <summary>Named volumes to mount (from <see cref="IsolatedContainerVolume.GetVolumeConfig"/>).</summary>
    public IReadOnlyList<VolumeMount> Mounts { get; init; } = [];

    /// <summary>
    /// The user, <c>user[:group]</c>, each a name from the image's /etc/passwd and /etc/group or a
    /// number. Null keeps the image's user, except root: an image that would run as root runs as
    /// <see cref="ToolUser.NonRoot"/> (65532:65532) unless this says "root" or "0" explicitly.
    /// </summary>
    public string? User { get; init; }

    /// <summary>The working directory; null keeps the image's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How long the tool may run before it is killed and removed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Docker network mode; "none" unless the tool must reach the network (then <see cref="AllowNetwork"/> too).</summary>
    public string NetworkMode { get; init; } = "none";

    /// <summary>The opt-in for any <see cref="NetworkMode"/> other than "none"; without it such a mode is refused.</summary>
    public bool AllowNetwork { get; init; }

    /// <summary>Capabilities to drop; all by default (anything else needs <see cref="AllowCapabilities"/>).</summary>
    public IReadOnlyList<string> DropCapabilities { get; init; } = ["ALL"];

    /// <summary>Capabilities to add back after dropping (needs <see cref="AllowCapabilities"/>).</summary>
    public IReadOnlyList<string> AddCapabilities { get; init; } = [];

    /// <summary>The opt-in for keeping or adding capabilities; without it the spec must drop ALL and add none.</summary>
    public bool AllowCapabilities { get; init; }

    /// <summary>Whether setuid binaries may gain privileges; false sets <c>no-new-privileges</c>.</summary>
    public bool AllowPrivilegeEscalation { get; init; }

    /// <summary>Whether the image's filesystem is read-only (outputs go to mounted volumes or /tmp).</summary>
    public bool ReadOnlyRootFilesystem { get; init; } = true;

    /// <summary>Size of the tmpfs mounted at /tmp (e.g. "64m": a size only, no other options); null mounts none.</summary>
    public string? TmpSize { get; init; } = "64m";

    /// <summary>Size of the tmpfs mounted over each <c>VOLUME</c> the image declares (instead of an anonymous volume).</summary>
    public string ImageVolumeSize { get; init; } = "64m";

    /// <summary>Most processes the tool may run at once; must be positive.</summary>
    public long PidsLimit { get; init; } = 256;

    /// <summary>Memory limit in bytes (swap included); must be positive.</summary>
    public long MemoryBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>How many CPUs' worth of time the tool may use; must be positive.</summary>
    public double CpuLimit { get; init; } = 1.0;

    /// <summary>The tool's open-file limit (<c>nofile</c>, soft and hard); must be positive.</summary>
    public long OpenFilesLimit { get; init; } = 4096;

    /// <summary>
    /// The <c>nproc</c> limit (soft and hard); must be positive. It counts every process of the tool's
    /// uid on the host, across containers, so it is a backstop above <see cref="PidsLimit"/> (which is
    /// per container), and the only process bound on an engine without cgroups.
    /// </summary>
    public long ProcessesPerUserLimit { get; init; } = 4096;

    /// <summary>How much of stdout and of stderr is kept; the rest is read and dropped so the tool never blocks.</summary>
    public int MaxOutputBytes { get; init; } = 1024 * 1024;

    /// <summary>Tenant recorded in the container's labels (for the sweeper and audits).</summary>
    public string? TenantId { get; init; }

    /// <summary>Run recorded in the container's labels.</summary>
    public string? RunId { get; init; }
}
