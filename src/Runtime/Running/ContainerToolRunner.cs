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
public sealed class ContainerToolRunner(DockerConnectionOptions? options = null)
{
    private readonly DockerConnectionOptions _options = options ?? IsolatedVolumeOptions.Default;
    private readonly ILogger _logger = options?.LoggerFactory?.CreateLogger<ContainerToolRunner>() ?? NullLogger<ContainerToolRunner>.Instance;

    /// <summary>Runs <paramref name="spec"/> to completion.</summary>
    /// <exception cref="ContainerToolTimeoutException">The tool exceeded <see cref="ToolRunSpec.Timeout"/>; it was killed and removed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; the container was killed and removed.</exception>
    /// <exception cref="VolumeValidationException">A mount source is not a volume name or a target is not absolute.</exception>
    public async Task<ToolRunResult> RunAsync(ToolRunSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        using var activity = VolumeGenTelemetry.Start("tool.run");
        activity?.SetTag("volumegen.image", spec.Image);

        var client = await DockerConnections.GetClientAsync(_options, ct).ConfigureAwait(false);
        await EnsureVolumesExistAsync(client, spec, ct).ConfigureAwait(false);
        var labels = new VolumeLabels(_options.LabelPrefix).For(VolumeLabels.RoleTool, spec.TenantId, spec.RunId);
        var created = await ContainerCalls.CreateUncancellablyAsync(client, CreateParameters(spec, labels), ct).ConfigureAwait(false);
        try
        {
            return await RunCreatedAsync(client, created.ID, spec, ct).ConfigureAwait(false);
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
    /// Docker silently creates a missing named volume when a container mounts it: an empty,
    /// unlabeled volume no sweeper finds. A mount of a volume that was already cleaned up fails here.
    /// </summary>
    private static async Task EnsureVolumesExistAsync(IDockerClient client, ToolRunSpec spec, CancellationToken ct)
    {
        foreach (var mount in spec.Mounts)
        {
            try
            {
                await client.Volumes.InspectAsync(mount.Source, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (DockerErrors.IsNotFound(e))
            {
                throw new VolumeGenException(
                    $"Volume '{mount.Source}' (for '{mount.Target}') does not exist; was it cleaned up already? " +
                    "Docker would create an empty, unlabeled volume in its place.", e);
            }
        }
    }

    private async Task<ToolRunResult> RunCreatedAsync(IDockerClient client, string id, ToolRunSpec spec, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(spec.Timeout);
        var stdout = new CappedOutput(spec.MaxOutputBytes);
        var stderr = new CappedOutput(spec.MaxOutputBytes);
        var stopwatch = new Stopwatch();
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
            Log.ToolExited(_logger, spec.Image, exit.StatusCode, stopwatch.ElapsedMilliseconds);
            return new ToolRunResult(exit.StatusCode, stdout.Text(), stderr.Text(), stdout.Truncated, stderr.Truncated, stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            Log.ToolTimedOut(_logger, spec.Image, stopwatch.ElapsedMilliseconds);
            throw new ContainerToolTimeoutException(spec.Image, spec.Timeout, ToolRunResult.TailOf(stderr.Text(), 2000));
        }
    }

    private static async Task PumpAsync(MultiplexedStream stream, CappedOutput stdout, CappedOutput stderr, CancellationToken ct)
    {
        var buffer = new byte[81920];
        while (true)
        {
            var result = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
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
    private static CreateContainerParameters CreateParameters(ToolRunSpec spec, IDictionary<string, string> labels) => new()
    {
        Image = spec.Image,
        Cmd = spec.Command?.ToList()!,
        Entrypoint = spec.Entrypoint?.ToList()!,
        Env = spec.Environment?.Select(e => $"{e.Key}={e.Value}").ToList()!,
        User = spec.User!,
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
            Tmpfs = spec.TmpSize is null ? null : new Dictionary<string, string> { ["/tmp"] = $"rw,nosuid,nodev,noexec,size={spec.TmpSize}" },
            PidsLimit = spec.PidsLimit,
            Memory = spec.MemoryBytes,
            MemorySwap = spec.MemoryBytes,
            // Output is captured through attach; the daemon keeps no log file of untrusted size.
            LogConfig = new LogConfig { Type = "none" },
            Mounts = spec.Mounts.Select(m => new Mount
            {
                Type = "volume",
                Source = m.Source,
                Target = m.Target,
                ReadOnly = m.ReadOnly,
                // Never copy the image's files into the volume: an empty output volume stays empty.
                VolumeOptions = new VolumeOptions { NoCopy = true },
            }).ToList(),
        },
    };

    private static void Validate(ToolRunSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image, nameof(spec.Image));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spec.Timeout, TimeSpan.Zero, nameof(spec.Timeout));
        ArgumentOutOfRangeException.ThrowIfNegative(spec.MaxOutputBytes, nameof(spec.MaxOutputBytes));
        foreach (var mount in spec.Mounts)
        {
            if (VolumePathRules.GetMountTargetProblem(mount.Target) is { } targetProblem)
            {
                throw new VolumeValidationException("target", mount.Target, targetProblem);
            }

            // A path here would be a host bind mount: it resolves on the daemon's side (Docker-in-Docker).
            if (IdentifierRules.GetVolumeNameProblem(mount.Source) is { } sourceProblem)
            {
                throw new VolumeValidationException("source", mount.Source, sourceProblem);
            }
        }
    }
}
