using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace VolumeGen.Hosting;

/// <summary>
/// Whether this worker can run tools: unhealthy when the engine does not answer (or shares no API
/// version), when it would ignore resource limits and runs are refused for that, or when a custom
/// helper image is missing; degraded when leftovers pile up (VolumeGen volumes older than the
/// sweeper's cutoff whose creating process is gone and that nothing mounts: the sweeper is not
/// keeping up, or cannot remove them). The report's data names the endpoint, engine, versions and
/// counts. Nothing is created or removed by the check.
/// </summary>
public sealed class VolumeGenHealthCheck(
    ContainerToolRunner runner, OrphanVolumeSweeper sweeper, IsolatedVolumeOptions volumeOptions, IOptions<VolumeGenOptions> options, TimeProvider? timeProvider = null)
    : IHealthCheck
{
    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        EngineStatus status;
        try
        {
            status = await runner.CheckEngineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EngineUnavailableException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e, new Dictionary<string, object> { ["endpoint"] = e.Endpoint });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The engine at {volumeOptions.ResolvedEndpoint} cannot be used: {e.Message}", e,
                new Dictionary<string, object> { ["endpoint"] = volumeOptions.ResolvedEndpoint.ToString() });
        }

        var settings = options.Value;
        var cutoff = (timeProvider ?? TimeProvider.System).GetUtcNow() - settings.Sweeper.OlderThan;
        var leftovers = (await sweeper.ListVolumesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            .Count(v => v.CreatedAt <= cutoff && !v.OwnerAlive && !v.InUse);
        var data = new Dictionary<string, object>
        {
            ["endpoint"] = status.Endpoint.ToString(),
            ["engine"] = status.Engine,
            ["version"] = status.Version,
            ["apiVersion"] = status.ApiVersion,
            ["enforcesResourceLimits"] = status.EnforcesResourceLimits,
            ["helperImage"] = status.HelperImage,
            ["helperImagePresent"] = status.HelperImagePresent,
            ["leftovers"] = leftovers,
        };

        if (!status.EnforcesResourceLimits && !volumeOptions.AllowUnenforcedResourceLimits)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"{status.Engine} {status.Version} does not enforce memory or pids limits, so tool runs are refused (AllowUnenforcedResourceLimits is off).", data: data);
        }

        if (!status.HelperImagePresent && status.HelperImage != IsolatedVolumeOptions.DefaultHelperImage)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The helper image '{status.HelperImage}' does not exist on the engine.", data: data);
        }

        return leftovers >= settings.Health.DegradedLeftovers
            ? HealthCheckResult.Degraded($"{leftovers} leftover volumes older than {settings.Sweeper.OlderThan} wait for the sweeper (threshold {settings.Health.DegradedLeftovers}).", data: data)
            : HealthCheckResult.Healthy($"{status.Engine} {status.Version}, API {status.ApiVersion}, {leftovers} leftovers.", data);
    }
}
