using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VolumeGen.Samples.HostedWorker;

/// <summary>
/// Writes each health report to a file, replaced atomically: a worker has no HTTP endpoint, so an
/// orchestrator's exec probe reads this (e.g. <c>grep -q '"status":"Healthy"' health.json</c>).
/// </summary>
public sealed class HealthFilePublisher(string path) : IHealthCheckPublisher
{
    public async Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var document = new
        {
            status = report.Status.ToString(),
            checkedAt = DateTimeOffset.UtcNow,
            entries = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.ToDictionary(d => d.Key, d => d.Value?.ToString()),
            }),
        };
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(document), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
