using System.Globalization;
using Docker.DotNet.Models;
using VolumeGen.Engine;

namespace VolumeGen.Integration.Tests;

/// <summary>The engine's own event log of one tenant's containers: what really reached the daemon.</summary>
internal static class EngineEvents
{
    /// <summary>A moment to pass to <see cref="OfTenantAsync"/> later (a second early: the log's resolution).</summary>
    public static long Now() => DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds();

    /// <summary>The container events of <paramref name="tenant"/> from <paramref name="since"/> until now.</summary>
    public static async Task<List<Message>> OfTenantAsync(string tenant, long since)
    {
        var client = await DockerEngine.ClientAsync();
        var podman = await DockerEngine.IsPodmanAsync();
        var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds();
        var events = new List<Message>();
        // With an end time Docker replays the window and closes the stream: no race with live events.
        // Podman 4.3 answers an end time with nothing at all: there the replay is read without one,
        // for a few seconds, and what came after the window is dropped below.
        using var replay = new CancellationTokenSource(podman ? TimeSpan.FromSeconds(5) : Timeout.InfiniteTimeSpan);
        try
        {
            await client.System.MonitorEventsAsync(
                new ContainerEventsParameters
                {
                    Since = since.ToString(CultureInfo.InvariantCulture),
                    Until = podman ? null! : until.ToString(CultureInfo.InvariantCulture),
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["type"] = new Dictionary<string, bool> { ["container"] = true },
                        ["label"] = new Dictionary<string, bool> { [$"io.volumegen.tenant={tenant}"] = true },
                    },
                },
                new ImmediateProgress<Message>(events.Add), // on this thread: the list is complete when the call returns
                replay.Token);
        }
        catch (OperationCanceledException) when (podman && replay.IsCancellationRequested)
        {
        }

        return events.Where(e => e.Time <= until
            && e.Actor.Attributes is { } attributes && attributes.TryGetValue("io.volumegen.tenant", out var owner) && owner == tenant).ToList();
    }
}
