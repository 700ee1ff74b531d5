using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VolumeGen.Docker;
using VolumeGen.Running;
using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// Runs a tool container with the volumes it needs, captures its output with a size cap, and always
/// removes the container: on exit, on timeout (killed first) and on cancellation.
/// </summary>
public sealed partial class ContainerToolRunner(DockerConnectionOptions? options = null)
{
    private readonly DockerConnectionOptions _options = options ?? IsolatedVolumeOptions.Default;
    private readonly ILogger _logger = options?.LoggerFactory?.CreateLogger<ContainerToolRunner>() ?? NullLogger<ContainerToolRunner>.Instance;
    private readonly VolumeLabels _labels = new((options ?? IsolatedVolumeOptions.Default).LabelPrefix);

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

        var client = await DockerConnections.GetClientAsync(_options, cancellationToken).ConfigureAwait(false);
        var image = await ResolveImageAsync(client, spec, cancellationToken).ConfigureAwait(false);
        var instances = await MountChecks.CheckAsync(client, spec, image.User, _labels, cancellationToken).ConfigureAwait(false);
        var engine = await EngineProfile.ForAsync(client, cancellationToken).ConfigureAwait(false);
        EnsureLimitsHold(engine);
        var labels = _labels.For(VolumeLabels.RoleTool, spec.TenantId, spec.RunId);
        var created = await ContainerCalls.CreateUncancellablyAsync(client, CreateParameters(spec, image, engine, labels), cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureMountsUnchangedAsync(client, spec, instances, created.ID, cancellationToken).ConfigureAwait(false);
            return await RunCreatedAsync(client, created.ID, spec, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            activity.Fail(e);
            throw;
        }
        finally
        {
            // Force removal kills a tool that is still running (timeout, cancellation).
            await ContainerCalls.RemoveAsync(client, created.ID).ConfigureAwait(false);
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
        var client = await DockerConnections.GetClientAsync(_options, cancellationToken).ConfigureAwait(false);
        return (await ResolveImageAsync(client, spec, cancellationToken).ConfigureAwait(false)).User;
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
            throw new VolumeGenException(
                "The Docker engine does not enforce memory or pids limits (its /info reports MemoryLimit or PidsLimit false, " +
                "as rootless Docker without cgroups does), so a tool could exhaust the host. Run on an engine with cgroups, " +
                "or set DockerConnectionOptions.AllowUnenforcedResourceLimits (VOLUMEGEN_ALLOW_UNENFORCED_LIMITS=1) to accept that.");
        }

        Log.LimitsNotEnforced(_logger);
    }

    private Task<ToolImage> ResolveImageAsync(IDockerClient client, ToolRunSpec spec, CancellationToken cancellationToken) =>
        ToolImages.ResolveAsync(client, spec.Image, spec.User, _labels.For(VolumeLabels.RoleProbe, spec.TenantId, spec.RunId), cancellationToken);

    /// <summary>
    /// Closes the race in which a checked volume is removed before the container create, which then
    /// silently recreates it empty and unlabeled: the tool would run on nothing, and the new volume
    /// would be nobody's. Such a volume (no labels: made by our create) is removed with the container.
    /// </summary>
    private async Task EnsureMountsUnchangedAsync(
        IDockerClient client, ToolRunSpec spec, IReadOnlyDictionary<string, string> instances, string containerId, CancellationToken cancellationToken)
    {
        if (await MountChecks.FindReplacedAsync(client, spec, instances, _labels, cancellationToken).ConfigureAwait(false) is not { } replaced)
        {
            return;
        }

        await ContainerCalls.RemoveAsync(client, containerId).ConfigureAwait(false);
        await MountChecks.RemoveIfUnlabeledAsync(client, replaced.Source).ConfigureAwait(false);

        throw new VolumeGenException(
            $"Volume '{replaced.Source}' (for '{replaced.Target}') was removed while the tool container was being created, " +
            "and Docker recreated it empty; the run is refused (was the volume cleaned up concurrently?).");
    }

    private async Task<ToolRunResult> RunCreatedAsync(IDockerClient client, string id, ToolRunSpec spec, CancellationToken cancellationToken)
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
            // Attach before start so not a byte of output is missed.
            using var stream = await client.Containers.AttachContainerAsync(
                id, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, timeout.Token).ConfigureAwait(false);
            await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), timeout.Token).ConfigureAwait(false);
            stopwatch.Start();
            await PumpAsync(stream, stdout, stderr, timeout.Token).ConfigureAwait(false);
            var exit = await client.Containers.WaitContainerAsync(id, timeout.Token).ConfigureAwait(false);
            stopwatch.Stop();
            outcome = "exited";
            Log.ToolExited(_logger, spec.Image, exit.StatusCode, stopwatch.ElapsedMilliseconds);
            return new ToolRunResult(exit.StatusCode, stdout.Text(), stderr.Text(), stdout.Truncated, stderr.Truncated, stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = "timed_out";
            Log.ToolTimedOut(_logger, spec.Image, stopwatch.ElapsedMilliseconds);
            throw new ContainerToolTimeoutException(spec.Image, spec.Timeout, ToolRunResult.TailOf(stderr.Text(), 2000));
        }
        finally
        {
            VolumeGenMetrics.RunEnded(outcome, stopwatch.Elapsed);
        }
    }

    private static async Task PumpAsync(MultiplexedStream stream, CappedOutput stdout, CappedOutput stderr, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (true)
        {
            var result = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (result.EOF)
            {
                return;
            }

            var target = result.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
            target.Append(buffer.AsSpan(0, result.Count));
        }
    }

    // Docker.DotNet declares these properties non-nullable, but null is how "keep the image's
    // value" is sent (the field is omitted), hence the null-forgiving operators.
    private static CreateContainerParameters CreateParameters(ToolRunSpec spec, ToolImage image, EngineProfile engine, IDictionary<string, string> labels) => new()
    {
        Image = spec.Image,
        Cmd = spec.Command?.ToList()!,
        Entrypoint = spec.Entrypoint?.ToList()!,
        // Secret values go to the engine and nowhere else (never logged, never in a message).
        Env = spec.Environment is null && spec.SecretEnvironment is null
            ? null!
            : (spec.Environment ?? new Dictionary<string, string>()).Concat(spec.SecretEnvironment ?? new Dictionary<string, string>()).Select(e => $"{e.Key}={e.Value}").ToList(),
        // Numeric, as resolved: the volumes are owned by exactly this user.
        User = image.User.ToString(),
        WorkingDir = spec.WorkingDirectory!,
        Labels = labels,
        AttachStdout = true,
        AttachStderr = true,
        NetworkDisabled = spec.NetworkMode == "none",
        HostConfig = new HostConfig
        {
            NetworkMode = spec.NetworkMode,
            CapDrop = spec.DropCapabilities.ToList(),
            CapAdd = spec.AddCapabilities.ToList(),
            SecurityOpt = spec.AllowPrivilegeEscalation ? [] : ["no-new-privileges"],
            ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
            Tmpfs = TmpfsMounts(spec, image, engine),
            PidsLimit = spec.PidsLimit,
            Memory = spec.MemoryBytes,
            MemorySwap = spec.MemoryBytes,
            NanoCPUs = (long)(spec.CpuLimit * 1_000_000_000),
            Ulimits =
            [
                new Ulimit { Name = "nofile", Soft = spec.OpenFilesLimit, Hard = spec.OpenFilesLimit },
                new Ulimit { Name = "nproc", Soft = spec.ProcessesPerUserLimit, Hard = spec.ProcessesPerUserLimit },
            ],
            // Output is captured through attach; the daemon keeps no log file of untrusted size.
            LogConfig = new LogConfig { Type = "none" },
            Mounts = engine.NoCopyOnlyInBinds ? null! : spec.Mounts.Select(m => new Mount
            {
                Type = "volume",
                Source = m.Source,
                Target = m.Target,
                ReadOnly = m.ReadOnly,
                // Never copy the image's files into the volume: an empty output volume stays empty.
                VolumeOptions = new VolumeOptions { NoCopy = true },
            }).ToList(),
            // The same mounts where only this form keeps the image's files out (the source is a
            // validated volume name, never a path, and the target has no ':').
            Binds = engine.NoCopyOnlyInBinds ? spec.Mounts.Select(m => $"{m.Source}:{m.Target}:{(m.ReadOnly ? "ro" : "rw")},nocopy").ToList() : null!,
        },
    };

    /// <summary>
    /// /tmp, and a tmpfs over each image <c>VOLUME</c> no mount covers: Docker would otherwise create
    /// an unlabeled anonymous volume there, holding the tenant's data on disk after a crash. Each is
    /// owned by the tool's user (mode 0700, never world-writable), noexec, nosuid, nodev, size-capped,
    /// and gone with the container.
    /// </summary>
    private static Dictionary<string, string>? TmpfsMounts(ToolRunSpec spec, ToolImage image, EngineProfile engine)
    {
        var owned = $"rw,nosuid,nodev,noexec,{engine.TmpfsOwnerOptions(image.User)},mode=0700";
        var mounts = image.Volumes
            .Select(v => v.TrimEnd('/') is { Length: > 0 } path ? path : "/")
            .Where(path => path != "/tmp" && spec.Mounts.All(m => m.Target.TrimEnd('/') != path))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(path => path, _ => $"{owned},size={spec.ImageVolumeSize}");
        if (spec.TmpSize is not null)
        {
            mounts["/tmp"] = $"{owned},size={spec.TmpSize}";
        }

        return mounts.Count == 0 ? null : mounts;
    }

    private static void Validate(ToolRunSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image, nameof(spec.Image));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spec.Timeout, TimeSpan.Zero, nameof(spec.Timeout));
        // A timer cannot be set further out (CancelAfter takes at most 2^32-2 ms, about 49.7 days).
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spec.Timeout, TimeSpan.FromDays(49), nameof(spec.Timeout));
        ArgumentOutOfRangeException.ThrowIfNegative(spec.MaxOutputBytes, nameof(spec.MaxOutputBytes));
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
