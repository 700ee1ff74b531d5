using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using VolumeGen.Engine;
using VolumeGen.Observability;
using VolumeGen.Running;
using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// Runs a tool container with the volumes it needs, captures its output with a size cap, and always
/// removes the container: on exit, on timeout (killed first) and on cancellation.
/// </summary>
public sealed partial class ContainerToolRunner
{
    private readonly DockerConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly VolumeLabels _labels;
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
        _logger = options?.LoggerFactory?.CreateLogger<ContainerToolRunner>() ?? NullLogger<ContainerToolRunner>.Instance;
        _labels = new VolumeLabels(_options.LabelPrefix);
        _backend = backend ?? new DockerToolRunBackend(this, _options as IsolatedVolumeOptions);
    }

    /// <summary>Runs <paramref name="spec"/> to completion.</summary>
    /// <exception cref="ContainerToolTimeoutException">The tool exceeded <see cref="ToolRunSpec.Timeout"/>; it was killed and removed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the container was killed and removed.</exception>
    /// <exception cref="VolumeValidationException">A mount source is not a volume name or a target is not absolute.</exception>
    /// <exception cref="UnsafeToolSpecException">A value would switch a protection off, or lacks its opt-in.</exception>
    /// <exception cref="ToolUserNotFoundException">The user names nobody in the image.</exception>
    /// <exception cref="VolumeGenException">A mount is not a volume this process created for the spec's tenant and the tool's user, or the engine cannot enforce the limits.</exception>
    public async Task<ToolRunResult> RunAsync(ToolRunSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        using var activity = VolumeGenTelemetry.Start("tool.run");
        activity?.SetTag("volumegen.image", spec.Image);

        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        var image = await ResolveImageAsync(api, spec, cancellationToken).ConfigureAwait(false);
        var instances = await MountChecks.CheckAsync(api, spec, image.User, _labels, cancellationToken).ConfigureAwait(false);
        var engine = await EngineProfile.ForAsync(api, cancellationToken).ConfigureAwait(false);
        EnsureLimitsHold(engine);
        var labels = _labels.For(VolumeLabels.RoleTool, spec.TenantId, spec.RunId);
        var created = await api.CreateContainerAsync(ToolContainers.Parameters(spec, image, engine, labels), cancellationToken).ConfigureAwait(false);
        ToolRunResult result;
        try
        {
            await EnsureMountsUnchangedAsync(api, spec, instances, created, cancellationToken).ConfigureAwait(false);
            result = await RunCreatedAsync(api, created, spec, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            activity.Fail(e);
            await RemoveAfterFailureAsync(api, created, e).ConfigureAwait(false);
            throw;
        }

        // Force removal kills a tool that is still running (timeout, cancellation).
        await api.RemoveContainerAsync(created).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Removes a failed run's tool container, never in place of the run's own error: a removal that
    /// fails is attached to it (<see cref="VolumeCleanup.FailuresKey"/>) and logged. The removal of
    /// the run's volumes takes such a container too (our containers on them go first).
    /// </summary>
    private async Task RemoveAfterFailureAsync(DockerApi api, string container, Exception runFailure)
    {
        try
        {
            await api.RemoveContainerAsync(container).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.ToolRemovalFailed(_logger, e, container);
            VolumeCleanup.Attach(runFailure, [new ContainerCleanupException(container, e)]);
        }
    }

    /// <summary>
    /// The user <paramref name="spec"/> runs as, numeric: its <see cref="ToolRunSpec.User"/> when set
    /// (names looked up in the image's own /etc/passwd and /etc/group, without starting it), else
    /// the image's user, except that an image running as root gets <see cref="ToolUser.NonRoot"/>.
    /// Create the tool's volumes with it as owner. Cached per image ID; nothing is left behind.
    /// </summary>
    /// <exception cref="ToolUserNotFoundException">The user names nobody in the image.</exception>
    /// <exception cref="VolumeValidationException">The user is not of the form user[:group].</exception>
    /// <exception cref="VolumeGenException">The image does not exist on the daemon.</exception>
    public async Task<ToolUser> ResolveUserAsync(ToolRunSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image, nameof(spec.Image));
        ValidateIdentifiers(spec);
        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        return (await ResolveImageAsync(api, spec, cancellationToken).ConfigureAwait(false)).User;
    }

    /// <summary>
    /// Asks the engine what it is (reachability, version, negotiated API version, whether it enforces
    /// limits) and whether the helper image is there, without creating anything. For health checks
    /// and operator tooling.
    /// </summary>
    /// <exception cref="VolumeGenException">The engine cannot be reached or shares no API version with VolumeGen.</exception>
    public async Task<EngineStatus> CheckEngineAsync(CancellationToken cancellationToken = default)
    {
        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        var engine = await api.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var profile = await EngineProfile.ForAsync(api, cancellationToken).ConfigureAwait(false);
        var helper = (_options as IsolatedVolumeOptions ?? IsolatedVolumeOptions.Default).HelperImage;
        var helperPresent = await api.InspectImageAsync(helper, cancellationToken).ConfigureAwait(false) is not null;
        return new EngineStatus(
            _options.ResolvedEndpoint, profile.Name, engine.Version, api.NegotiatedApiVersion?.ToString() ?? engine.ApiVersion,
            profile.EnforcesResourceLimits, helper, helperPresent);
    }

    /// <summary>
    /// An engine that silently ignores memory and pids limits (rootless Docker without cgroups)
    /// would let one tool exhaust the host: refused unless explicitly allowed, and then logged.
    /// </summary>
    private void EnsureLimitsHold(EngineProfile engine)
    {
        if (engine.EnforcesResourceLimits)
        {
            return;
        }

        if (!_options.AllowUnenforcedResourceLimits)
        {
            throw new LimitsNotEnforcedException();
        }

        Log.LimitsNotEnforced(_logger);
    }

    private Task<ToolImage> ResolveImageAsync(DockerApi api, ToolRunSpec spec, CancellationToken cancellationToken) =>
        ToolImages.ResolveAsync(api, spec, _labels, _options, _logger, cancellationToken);

    /// <summary>
    /// Closes the race in which a checked volume is removed before the container create, which then
    /// silently recreates it empty and unlabeled: the tool would run on nothing, and the new volume
    /// would be nobody's. Such a volume (no labels: made by our create) is removed with the container.
    /// </summary>
    private async Task EnsureMountsUnchangedAsync(
        DockerApi api, ToolRunSpec spec, IReadOnlyDictionary<string, string> instances, string containerId, CancellationToken cancellationToken)
    {
        if (await MountChecks.FindReplacedAsync(api, spec, instances, _labels, cancellationToken).ConfigureAwait(false) is not { } replaced)
        {
            return;
        }

        await api.RemoveContainerAsync(containerId).ConfigureAwait(false);
        await MountChecks.RemoveIfUnlabeledAsync(api, replaced.Source).ConfigureAwait(false);

        throw new MountRefusedException(replaced.Source, replaced.Target,
            "it was removed while the tool container was being created, and Docker recreated it empty (was it cleaned up concurrently?)", replaced: true);
    }

    private async Task<ToolRunResult> RunCreatedAsync(DockerApi api, string id, ToolRunSpec spec, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(spec.Timeout);
        var stdout = new CappedOutput(spec.MaxOutputBytes);
        var stderr = new CappedOutput(spec.MaxOutputBytes);
        var stopwatch = new Stopwatch();
        var outcome = "failed"; // cancelled, or the engine failed: unless it exits or times out below
        VolumeGenMetrics.RunStarted();
        try
        {
            var exitCode = await api.RunAttachedAsync(id, stdout, stderr, stopwatch.Start, timeout.Token).ConfigureAwait(false);
            stopwatch.Stop();
            outcome = "exited";
            Log.ToolExited(_logger, spec.Image, spec.TenantId, spec.RunId, exitCode, stopwatch.ElapsedMilliseconds);
            return new ToolRunResult(exitCode, stdout.Text(), stderr.Text(), stdout.Truncated, stderr.Truncated, stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = "timed_out";
            Log.ToolTimedOut(_logger, spec.Image, spec.TenantId, spec.RunId, stopwatch.ElapsedMilliseconds);
            throw new ContainerToolTimeoutException(spec.Image, spec.Timeout, ToolRunResult.TailOf(stderr.Text(), 2000));
        }
        finally
        {
            VolumeGenMetrics.RunEnded(outcome, stopwatch.Elapsed);
        }
    }

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
    }

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
            if (VolumePathRules.GetMountTargetProblem(mount.Target) is { } targetProblem)
            {
                throw new VolumeValidationException("target", mount.Target, targetProblem);
            }

            if (mount.Target.Contains(':', StringComparison.Ordinal))
            {
                throw new VolumeValidationException("target", mount.Target, "it has a ':' (the engine's volume syntax separates fields with it)");
            }

            // /tmp is the tool's tmpfs unless the spec mounts none; /proc, /sys and /dev are never free.
            if (VolumePathRules.GetReservedMountProblem(mount.Target) is { } reserved &&
                !(spec.TmpSize is null && VolumePathRules.AreNested(mount.Target, "/tmp")))
            {
                throw new VolumeValidationException("target", mount.Target, reserved);
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
