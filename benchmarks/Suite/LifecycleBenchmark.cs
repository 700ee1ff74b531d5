using System.Diagnostics;
using System.Globalization;

namespace VolumeGen.Benchmarks;

/// <summary>
/// Per-run time of each way, alternated in one process on one engine. Each run is split into the
/// tool's own container (the same work whichever way: `docker run` of the tool, or VolumeGen's
/// "tool.run" span from create to removal) and the lifecycle overhead around it (volumes, files in
/// and out, cleanup), which is what the ways differ in. Medians and percentiles of both are reported.
/// </summary>
internal static class LifecycleBenchmark
{
    public static async Task<Ways> RunAsync(int iterations, string engine, Report report)
    {
        using var toolSpans = new ToolSpanListener();
        var docker = await new DockerConnectionOptions().ConnectAsync();
        var podman = (await docker.System.GetVersionAsync()).Components?.Any(c => c.Name.Contains("Podman", StringComparison.OrdinalIgnoreCase)) == true;
        var inputs = Scenario.Inputs("bench", 0);
        var expected = Scenario.Expected(inputs);
        var runner = new ContainerToolRunner();
        // The tool's own time: the CLI's `docker run` of it, the floor's container, else VolumeGen's span.
        (string Name, Func<int, Task<string>> Run, Func<TimeSpan> Tool)[] ways =
        [
            ("floor", i => FloorBaseline.RunAsync(docker, podman, $"floor-bench-{i}-{Environment.TickCount64}", inputs), () => FloorBaseline.LastToolTime),
            ("sandboxed", i => FloorBaseline.RunAsync(docker, podman, $"floor-sandboxed-bench-{i}-{Environment.TickCount64}", inputs, sandboxed: true), () => FloorBaseline.LastToolTime),
            ("cli", i => CliBaseline.RunAsync($"cli-bench-{i}-{Environment.TickCount64}", inputs), () => CliBaseline.LastToolTime),
            ("volumes", i => Scenario.VolumesByHandAsync("bench", $"v{i}", inputs), () => toolSpans.Last),
            ("runtime", i => Scenario.RunToolAsync(runner, "bench", $"r{i}", inputs, null), () => toolSpans.Last),
            ("generated", i => Scenario.GeneratedAsync("bench", $"g{i}", inputs), () => toolSpans.Last),
        ];
        var runs = ways.Select(_ => new List<(double Total, double Tool)>()).ToArray();
        for (var i = -1; i < iterations; i++) // round -1 warms up caches, connections and the JIT
        {
            for (var way = 0; way < ways.Length; way++)
            {
                var watch = Stopwatch.StartNew();
                Check(await ways[way].Run(i + 1), expected);
                if (i >= 0)
                {
                    runs[way].Add((watch.Elapsed.TotalMilliseconds, ways[way].Tool().TotalMilliseconds));
                }
            }
        }

        report.Line($"lifecycle on {engine} ({iterations} runs each: 2 files in, tool, 1 file out, 2 volumes removed), ms (p50 / p95 / p99):");
        for (var way = 0; way < ways.Length; way++)
        {
            var times = Times.Of(runs[way]);
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  {ways[way].Name,-10} total={times.Total:0} / {times.TotalP95:0} / {times.TotalP99:0}  tool={times.Tool:0}  overhead={times.Overhead:0} / {times.OverheadP95:0} / {times.OverheadP99:0}"));
        }

        var all = runs.Select(Times.Of).ToArray();
        return new Ways(all[0], all[1], all[2], all[3], all[4], all[5]);
    }

    /// <summary>
    /// The ways: the engine's floor, the same floor with the tool's container confined as VolumeGen
    /// confines it, the CLI design, the runtime's volumes by hand, its whole-run API
    /// (<see cref="ContainerToolRunner.RunToolAsync"/>), and a generated wrapper.
    /// </summary>
    public sealed record Ways(Times Floor, Times Sandboxed, Times Cli, Times Volumes, Times Runtime, Times Generated);

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
