using System.Diagnostics;
using System.Globalization;

namespace VolumeGen.Benchmarks;

/// <summary>
/// Per-run time of the three ways, alternated in one process on one engine. Each run is split into
/// the tool's own container (the same work whichever way: `docker run` of the tool, or VolumeGen's
/// "tool.run" span from create to removal) and the lifecycle overhead around it (volumes, files in
/// and out, cleanup), which is what the ways differ in. Medians of both are reported.
/// </summary>
internal static class LifecycleBenchmark
{
    public static async Task<(Times Floor, Times Cli, Times Runtime, Times Generated)> RunAsync(int iterations, string engine, Report report)
    {
        using var toolSpans = new ToolSpanListener();
        var docker = await new DockerConnectionOptions().ConnectAsync();
        var podman = (await docker.System.GetVersionAsync()).Components?.Any(c => c.Name.Contains("Podman", StringComparison.OrdinalIgnoreCase)) == true;
        var inputs = Scenario.Inputs("bench", 0);
        var expected = Scenario.Expected(inputs);
        var floor = new List<(double Total, double Tool)>();
        var cli = new List<(double Total, double Tool)>();
        var runtime = new List<(double Total, double Tool)>();
        var generated = new List<(double Total, double Tool)>();
        for (var i = -1; i < iterations; i++) // round -1 warms up caches, connections and the JIT
        {
            var watch = Stopwatch.StartNew();
            Check(await FloorBaseline.RunAsync(docker, podman, $"floor-bench-{i + 1}-{Environment.TickCount64}", inputs), expected);
            var f = (watch.Elapsed.TotalMilliseconds, FloorBaseline.LastToolTime.TotalMilliseconds);
            watch.Restart();
            Check(await CliBaseline.RunAsync($"cli-bench-{i + 1}-{Environment.TickCount64}", inputs), expected);
            var a = (watch.Elapsed.TotalMilliseconds, CliBaseline.LastToolTime.TotalMilliseconds);
            watch.Restart();
            Check(await Scenario.RuntimeAsync("bench", $"r{i + 1}", inputs), expected);
            var b = (watch.Elapsed.TotalMilliseconds, toolSpans.Last.TotalMilliseconds);
            watch.Restart();
            Check(await Scenario.GeneratedAsync("bench", $"g{i + 1}", inputs), expected);
            var c = (watch.Elapsed.TotalMilliseconds, toolSpans.Last.TotalMilliseconds);
            if (i >= 0)
            {
                floor.Add(f);
                cli.Add(a);
                runtime.Add(b);
                generated.Add(c);
            }
        }

        var result = (Times.Of(floor), Times.Of(cli), Times.Of(runtime), Times.Of(generated));
        report.Line($"lifecycle on {engine} ({iterations} runs each: 2 files in, tool, 1 file out, 2 volumes removed), ms (p50 / p95 / p99):");
        foreach (var (way, times) in new[] { ("floor", result.Item1), ("cli", result.Item2), ("runtime", result.Item3), ("generated", result.Item4) })
        {
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  {way,-10} total={times.Total:0} / {times.TotalP95:0} / {times.TotalP99:0}  tool={times.Tool:0}  overhead={times.Overhead:0} / {times.OverheadP95:0} / {times.OverheadP99:0}"));
        }

        return result;
    }

    private static void Check(string actual, string expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException("A run returned the wrong output.");
        }
    }

    /// <summary>Median total, tool and overhead (total minus tool, per run) in milliseconds, with the 95th and 99th percentiles.</summary>
    public sealed record Times(double Total, double Tool, double Overhead, double TotalP95, double TotalP99, double OverheadP95, double OverheadP99)
    {
        public static Times Of(List<(double Total, double Tool)> runs) => new(
            Report.Median(runs.Select(r => r.Total)), Report.Median(runs.Select(r => r.Tool)), Report.Median(runs.Select(r => r.Total - r.Tool)),
            Report.Percentile(runs.Select(r => r.Total), 95), Report.Percentile(runs.Select(r => r.Total), 99),
            Report.Percentile(runs.Select(r => r.Total - r.Tool), 95), Report.Percentile(runs.Select(r => r.Total - r.Tool), 99));
    }

    /// <summary>Records the duration of VolumeGen's last "tool.run" span (the benchmark runs one at a time).</summary>
    private sealed class ToolSpanListener : IDisposable
    {
        private readonly ActivityListener _listener;

        public ToolSpanListener()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == VolumeGenTelemetry.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.OperationName == "tool.run")
                    {
                        Last = activity.Duration;
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public TimeSpan Last { get; private set; }

        public void Dispose() => _listener.Dispose();
    }
}
