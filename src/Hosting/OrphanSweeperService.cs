using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VolumeGen.Hosting;

/// <summary>
/// Sweeps orphans (what crashed workers left) on a schedule, started and stopped with the host: the
/// design's "lazy cleanup in a background job", done safely. Only what is older than the cutoff is
/// considered, and the sweeper never removes a volume a running container mounts or whose creating
/// process is alive, so a live run is never touched. A failed sweep (the engine was down) is logged
/// and the next one comes on schedule: the host is never stopped by it. Removals are logged and
/// counted in <c>volumegen.sweeper.removed</c>.
/// </summary>
internal sealed partial class OrphanSweeperService(OrphanVolumeSweeper sweeper, IOptions<VolumeGenOptions> options, ILogger<OrphanSweeperService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Sweeper;
        if (!settings.Enabled)
        {
            return;
        }

        try
        {
            await Task.Delay(settings.InitialDelay, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(settings.Period);
            do
            {
                await SweepOnceAsync(settings.OlderThan, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: a sweep in progress stops between removals.
        }
    }

    /// <summary>One sweep; null when it failed (logged).</summary>
    internal async Task<SweepResult?> SweepOnceAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        try
        {
            var result = await sweeper.SweepAsync(olderThan, cancellationToken: cancellationToken).ConfigureAwait(false);
            Swept(logger, result.RemovedVolumes.Count, result.RemovedContainers.Count, result.Kept.Count, result.Failures.Count, olderThan);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SweepFailed(logger, e);
            return null;
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Orphan sweep (older than {OlderThan}): removed {Volumes} volumes and {Containers} containers, kept {Kept}, {Failures} failures")]
    private static partial void Swept(ILogger logger, int volumes, int containers, int kept, int failures, TimeSpan olderThan);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Orphan sweep failed; the next one runs on schedule")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
