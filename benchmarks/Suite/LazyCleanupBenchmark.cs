using System.Diagnostics;
using System.Globalization;

namespace VolumeGen.Benchmarks;

/// <summary>
/// Lazy cleanup measured: per-run latency (until the run returns) with volumes removed before the
/// run returns and with <see cref="BackgroundVolumeCleanup"/>; then, in each mode, a fresh process
/// that does a few runs and crashes (<see cref="Environment.FailFast(string)"/>) the moment the last
/// one returns: what it left, and whether the sweeper (the creator being dead) removes all of it.
/// </summary>
internal static class LazyCleanupBenchmark
{
    public const string ChildArgument = "lazy-child";

    public static async Task RunAsync(int iterations, Report report)
    {
        var runner = new ContainerToolRunner();
        var inputs = Scenario.Inputs("lazy", 0);
        await using var background = new BackgroundVolumeCleanup();
        var eager = new List<double>();
        var lazy = new List<double>();
        for (var i = -1; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            await Scenario.RunToolAsync(runner, "lazy", $"e{i + 1}", inputs, null);
            var a = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            await Scenario.RunToolAsync(runner, "lazy", $"l{i + 1}", inputs, new IsolatedVolumeOptions { BackgroundCleanup = background });
            var b = watch.Elapsed.TotalMilliseconds;
            await background.FlushAsync(); // not timed: the next run starts on a quiet engine
            if (i >= 0)
            {
                eager.Add(a);
                lazy.Add(b);
            }
        }

        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"lazy_cleanup_run_ms eager={Report.Median(eager):0} / {Report.Percentile(eager, 95):0} lazy={Report.Median(lazy):0} / {Report.Percentile(lazy, 95):0} (p50 / p95) ratio_lazy_vs_eager={Report.Median(lazy) / Report.Median(eager):0.00}"));
        foreach (var mode in new[] { "eager", "lazy" })
        {
            var (left, swept) = await KillAfterRunsAsync(mode, 4);
            report.Line($"lazy_cleanup_crash_{mode}: left {left} volumes and containers after a crash right after 4 runs; the sweeper removed {swept} of them");
        }
    }

    /// <summary>In the child: runs, then crashes at once, with whatever is still queued.</summary>
    public static async Task ChildAsync(string mode, string tenant, int runs)
    {
        var background = mode == "lazy" ? new BackgroundVolumeCleanup() : null;
        for (var i = 0; i < runs; i++)
        {
            await Scenario.RunToolAsync(new ContainerToolRunner(), tenant, $"k{i}", Scenario.Inputs(tenant, i), new IsolatedVolumeOptions { BackgroundCleanup = background });
        }

        Environment.FailFast("benchmark: the worker crashes right after its last run returned");
    }

    private static async Task<(int Left, int Swept)> KillAfterRunsAsync(string mode, int runs)
    {
        var tenant = $"kill{mode}{Environment.TickCount64 % 100000}";
        var start = ChildProcess.StartInfo(ChildArgument, mode, tenant, runs.ToString(CultureInfo.InvariantCulture));
        start.RedirectStandardError = true; // FailFast's report
        using (var child = Process.Start(start)!)
        {
            await child.StandardError.ReadToEndAsync();
            await child.WaitForExitAsync();
        }

        var sweeper = new OrphanVolumeSweeper { MinimumCutoff = TimeSpan.Zero };
        var left = (await sweeper.ListVolumesAsync(tenant)).Count + (await sweeper.ListContainersAsync(tenant)).Count;
        var sweep = await sweeper.SweepAsync(TimeSpan.Zero, tenant);
        return (left, sweep.RemovedVolumes.Count + sweep.RemovedContainers.Count);
    }
}
