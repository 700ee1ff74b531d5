using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using VolumeGen.Engine;
using VolumeGen.Running;
using VolumeGen.Users;
using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// Runs tools: one container with the volumes it is given (<see cref="RunAsync"/>), or a whole run
/// with its own input and output volumes (<see cref="RunToolAsync"/>). It validates and orders; the
/// engine component under <c>Engine/</c> carries each step out (on the Docker Engine API, or Podman's).
/// </summary>
public sealed partial class ContainerToolRunner
{
    private readonly DockerConnectionOptions _options;
    private readonly IsolatedVolumeOptions _volumeOptions;
    private readonly DockerToolRun _dockerRun;
    private readonly IToolRunBackend _backend;

    /// <summary>A runner on the Docker Engine (or Podman) that <paramref name="options"/> select.</summary>
    public ContainerToolRunner(DockerConnectionOptions? options = null)
        : this(options, backend: null)
    {
    }

    /// <summary>A runner whose <see cref="RunToolAsync"/> carries out its steps on <paramref name="backend"/> (null: Docker).</summary>
    internal ContainerToolRunner(DockerConnectionOptions? options, IToolRunBackend? backend)
    {
        _options = options ?? IsolatedVolumeOptions.Default;
        // A run's volumes live on the runner's engine, with its volume settings when it has them.
        _volumeOptions = IsolatedVolumeOptions.On(_options);
        var logger = _options.LoggerFactory?.CreateLogger<ContainerToolRunner>() ?? NullLogger<ContainerToolRunner>.Instance;
        _dockerRun = new DockerToolRun(_options, logger);
        _backend = backend ?? new DockerToolRunBackend(_dockerRun, _volumeOptions);
    }

    /// <summary>Runs <paramref name="spec"/> to completion.</summary>
    /// <exception cref="ContainerToolTimeoutException">The tool exceeded <see cref="ToolRunSpec.Timeout"/>; it was killed and removed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the container was killed and removed.</exception>
    /// <exception cref="VolumeValidationException">A mount source is not a volume name or a target is not absolute.</exception>
    /// <exception cref="UnsafeToolSpecException">A value would switch a protection off, or lacks its opt-in.</exception>
    /// <exception cref="ToolUserNotFoundException">The user names nobody in the image.</exception>
    /// <exception cref="MountRefusedException">A mount is not a volume this process created for the spec's tenant and the tool's user.</exception>
    /// <exception cref="LimitsNotEnforcedException">The engine cannot enforce the limits.</exception>
    public async Task<ToolRunResult> RunAsync(ToolRunSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        var image = await _dockerRun.ResolveImageAsync(api, spec, cancellationToken).ConfigureAwait(false);
        return await _dockerRun.RunAsync(api, spec, image, ownVolumes: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The user <paramref name="spec"/> runs as, numeric: its <see cref="ToolRunSpec.User"/> when set
    /// (names looked up in the image's own /etc/passwd and /etc/group, without starting it), else
    /// the image's user, except that an image running as root gets <see cref="ToolUser.NonRoot"/>.
    /// Create the tool's volumes with it as owner. Cached per image ID; nothing is left behind.
    /// </summary>
    /// <exception cref="ToolUserNotFoundException">The user names nobody in the image.</exception>
    /// <exception cref="VolumeValidationException">The user is not of the form user[:group].</exception>
    /// <exception cref="ImageNotFoundException">The image does not exist on the engine (and the pull policy pulls nothing).</exception>
    public async Task<ToolUser> ResolveUserAsync(ToolRunSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image, nameof(spec.Image));
        ValidateIdentifiers(spec);
        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        return (await _dockerRun.ResolveImageAsync(api, spec, cancellationToken).ConfigureAwait(false)).User;
    }

    /// <summary>
    /// Asks the engine what it is (reachability, version, negotiated API version, whether it enforces
    /// limits) and whether the helper image is there, without creating anything. For health checks
    /// and operator tooling.
    /// </summary>
    /// <exception cref="EngineUnavailableException">The engine cannot be reached or shares no API version with VolumeGen.</exception>
    public Task<EngineStatus> CheckEngineAsync(CancellationToken cancellationToken = default) =>
        DockerEngineStatus.CheckAsync(_options, cancellationToken);

    /// <summary>
    /// Readies this process for its first run, for worker startup: connects and negotiates the API
    /// version, detects the engine, makes sure the helper image exists, and takes one scratch volume
    /// (tenant <see cref="WarmUpTenant"/>) through a volume's lifecycle: created with a file, read back,
    /// removed. The first run then finds the connection, the engine's profile and the helper image
    /// ready and the code of the volume path compiled (measured: benchmarks/Suite <c>coldstart</c>).
    /// Nothing outlives the call (a crash in it leaves a labeled volume to the sweeper). Optional: a run
    /// without it does the same work on first use.
    /// </summary>
    /// <exception cref="EngineUnavailableException">The engine cannot be reached or shares no API version with VolumeGen.</exception>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) => WarmUpAsync([], cancellationToken);

    /// <summary>
    /// <see cref="WarmUpAsync(CancellationToken)"/>, then the image of each of <paramref name="tools"/>
    /// found (or pulled, as its pull policy says) and checked, and the user it runs as looked up, as
    /// its run does it: the worker's first run of each tool then starts from what is cached instead of
    /// a lookup (a probe container). A generated tool's spec is its <see cref="IContainerTool.Definition"/>'s
    /// <see cref="ToolDefinition.Tool"/>. Every spec is checked as its run checks it before anything
    /// happens; the tools are then readied one after the other, and the first that fails ends the
    /// warm-up with its run's error (the tools after it are readied by their first runs instead).
    /// </summary>
    /// <exception cref="VolumeValidationException">A tool is malformed (image, digest, user, identifiers); nothing was done.</exception>
    /// <exception cref="UnsafeToolSpecException">A tool's run would be refused for switching a protection off; nothing was done.</exception>
    /// <exception cref="EngineUnavailableException">The engine cannot be reached or shares no API version with VolumeGen.</exception>
    /// <exception cref="VolumeGenException">A tool's image or user cannot be used, as its run would report it
    /// (<see cref="ImageNotFoundException"/>, <see cref="ImagePullFailedException"/>, <see cref="ImageDigestMismatchException"/>,
    /// <see cref="UnsafeImageConfigException"/>, <see cref="ToolUserNotFoundException"/>).</exception>
    public async Task WarmUpAsync(IEnumerable<ToolRunSpec> tools, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        // Each probe carries the warm-up's tenant; every spec is checked before the engine is asked anything.
        var specs = tools.Select(tool => (tool ?? throw new ArgumentNullException(nameof(tools))) with { TenantId = WarmUpTenant, RunId = null }).ToList();
        specs.ForEach(Validate);

        await CheckEngineAsync(cancellationToken).ConfigureAwait(false);
        await using (var scratch = new IsolatedContainerVolume(WarmUpTenant, "scratch", _volumeOptions))
        {
            await scratch.InitializeAsync([VolumeFile.FromText("warm-up.txt", "warm")], cancellationToken).ConfigureAwait(false);
            await scratch.ReadFilesAsync(["warm-up.txt"], cancellationToken).ConfigureAwait(false);
        }

        foreach (var spec in specs)
        {
            await ResolveUserAsync(spec, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The tenant of a warm-up's scratch volume and of the probe containers that look up its tools' users.</summary>
    public const string WarmUpTenant = "volumegen-warm-up";

    /// <summary>A tool may run without a tenant or run (labels only); whatever it has is checked like a volume's.</summary>
    private static void ValidateIdentifiers(ToolRunSpec spec)
    {
        if (ImageReferenceRules.GetProblem(spec.Image) is { } imageProblem)
        {
            throw new VolumeValidationException("image", spec.Image, imageProblem);
        }

        if (spec.ImageDigest is not null && ImageReferenceRules.GetDigestProblem(spec.ImageDigest) is { } digestProblem)
        {
            throw new VolumeValidationException("imageDigest", spec.ImageDigest, digestProblem);
        }

        if (spec.PullPolicy is { } policy && !Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), policy, "PullPolicy is not an ImagePullPolicy value.");
        }

        if (spec.TenantId is not null)
        {
            IdentifierRules.ThrowIfInvalid("tenantId", spec.TenantId);
        }

        if (spec.RunId is not null)
        {
            IdentifierRules.ThrowIfInvalid("runId", spec.RunId);
        }

        if (spec.User is not null && UserSpec.GetProblem(spec.User) is { } userProblem)
        {
            throw new VolumeValidationException("user", spec.User, userProblem);
        }
    }

    /// <summary>
    /// Why a tool cannot have a mount at <paramref name="target"/>: not absolute, unsafe, with a ':'
    /// (the engine's volume syntax separates fields with it), or reserved (/proc, /sys, /dev, and /tmp
    /// unless <paramref name="tmpIsFree"/>). Null when it can.
    /// </summary>
    private static string? MountTargetProblem(string target, bool tmpIsFree) =>
        VolumePathRules.GetMountTargetProblem(target)
        ?? (target.Contains(':', StringComparison.Ordinal) ? "it has a ':' (the engine's volume syntax separates fields with it)" : null)
        ?? (tmpIsFree && VolumePathRules.AreNested(target, "/tmp") ? null : VolumePathRules.GetReservedMountProblem(target));

    /// <summary>Everything about a tool that can be checked before anything exists on the engine.</summary>
    private static void Validate(ToolRunSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image, nameof(spec.Image));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spec.Timeout, TimeSpan.Zero, nameof(spec.Timeout));
        // A timer cannot be set further out (CancelAfter takes at most 2^32-2 ms, about 49.7 days).
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spec.Timeout, TimeSpan.FromDays(49), nameof(spec.Timeout));
        ArgumentOutOfRangeException.ThrowIfNegative(spec.MaxOutputBytes, nameof(spec.MaxOutputBytes));
        ValidateIdentifiers(spec);
        ProtectionRules.Check(spec);
        foreach (var mount in spec.Mounts)
        {
            // /tmp is the tool's tmpfs unless the spec mounts none; /proc, /sys and /dev are never free.
            if (MountTargetProblem(mount.Target, tmpIsFree: spec.TmpSize is null) is { } targetProblem)
            {
                throw new VolumeValidationException("target", mount.Target, targetProblem);
            }

            if (spec.Mounts.FirstOrDefault(other => !ReferenceEquals(other, mount) && VolumePathRules.AreNested(other.Target, mount.Target)) is { } nested)
            {
                throw new VolumeValidationException("target", mount.Target, $"it is the same as, or nested with, the mount at '{nested.Target}'");
            }

            // A path here would be a host bind mount: it resolves on the daemon's side (Docker-in-Docker).
            if (IdentifierRules.GetVolumeNameProblem(mount.Source) is { } sourceProblem)
            {
                throw new VolumeValidationException("source", mount.Source, sourceProblem);
            }
        }
    }
}
