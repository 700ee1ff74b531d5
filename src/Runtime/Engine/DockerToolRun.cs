using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VolumeGen.Observability;

namespace VolumeGen.Engine;

/// <summary>
/// A tool container on the Docker Engine (or Podman), from image to removal: the image found or
/// pulled and its user resolved; the mounts checked; limits the engine must enforce; the create
/// request with every protection; attach, start and wait under the timeout; removal on every path.
/// Both ways of running a tool end here: <see cref="ContainerToolRunner.RunAsync"/> (hand-written
/// mounts, each checked) and a run's workspace (its own volumes, created a moment ago, passed with
/// what was resolved for them).
/// </summary>
internal sealed class DockerToolRun(DockerConnectionOptions options, ILogger logger)
{
    private readonly VolumeLabels _labels = new(options.LabelPrefix);

    private readonly VolumeGenInstruments _metrics = VolumeGenMetrics.For(options.MeterFactory);

    public DockerConnectionOptions Options => options;

    /// <summary>The image to run (found or pulled as the policy says, its config checked) and the numeric user it runs as.</summary>
    public Task<ToolImage> ResolveImageAsync(DockerApi api, ToolRunSpec spec, CancellationToken cancellationToken) =>
        ToolImages.ResolveAsync(api, spec, _labels, options, logger, cancellationToken);

    /// <summary>
    /// Runs <paramref name="spec"/> (validated) as <paramref name="image"/> says, to completion. Its
    /// mounts are checked against the engine first, unless <paramref name="ownVolumes"/> gives the
    /// instance label of each: volumes this run created for this tenant and user a moment ago. Either
    /// way a mount removed while the container is created (Docker silently recreates it empty) fails the run.
    /// </summary>
    public async Task<ToolRunResult> RunAsync(
        DockerApi api, ToolRunSpec spec, ToolImage image, IReadOnlyDictionary<string, string>? ownVolumes, CancellationToken cancellationToken)
    {
        using var activity = VolumeGenTelemetry.Start("tool.run");
        activity?.SetTag("volumegen.image", spec.Image);
        var instances = ownVolumes ?? await MountChecks.CheckAsync(api, spec, image.User, _labels, cancellationToken).ConfigureAwait(false);
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
    /// An engine that silently ignores memory and pids limits (rootless Docker without cgroups)
    /// would let one tool exhaust the host: refused unless explicitly allowed, and then logged.
    /// </summary>
    private void EnsureLimitsHold(EngineProfile engine)
    {
        if (engine.EnforcesResourceLimits)
        {
            return;
        }

        if (!options.AllowUnenforcedResourceLimits)
        {
            throw new LimitsNotEnforcedException();
        }

        Log.LimitsNotEnforced(logger);
    }

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
        _metrics.RunStarted();
        try
        {
            var exitCode = await api.RunAttachedAsync(id, stdout, stderr, stopwatch.Start, timeout.Token).ConfigureAwait(false);
            stopwatch.Stop();
            outcome = "exited";
            Log.ToolExited(logger, spec.Image, spec.TenantId, spec.RunId, exitCode, stopwatch.ElapsedMilliseconds);
            return new ToolRunResult(exitCode, stdout.Text(), stderr.Text(), stdout.Truncated, stderr.Truncated, stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = "timed_out";
            Log.ToolTimedOut(logger, spec.Image, spec.TenantId, spec.RunId, stopwatch.ElapsedMilliseconds);
            throw new ContainerToolTimeoutException(spec.Image, spec.Timeout, ToolRunResult.TailOf(stderr.Text(), 2000));
        }
        finally
        {
            _metrics.RunEnded(outcome, stopwatch.Elapsed);
        }
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
            Log.ToolRemovalFailed(logger, e, container);
            RunCleanup.Attach(runFailure, [new ContainerCleanupException(container, e)]);
        }
    }
}
