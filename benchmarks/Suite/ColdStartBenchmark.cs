using System.Diagnostics;
using System.Globalization;

namespace VolumeGen.Benchmarks;

/// <summary>
/// The first run in a fresh process (connection and API negotiation, engine detection, helper-image
/// check, user resolution, JIT) against the second run in that process, each in a child process of
/// its own, a few times; the medians and their ratio are reported (goal: cold under 2 × warm).
/// </summary>
internal static class ColdStartBenchmark
{
    public const string ChildArgument = "coldstart-child";

    public static async Task RunAsync(int processes, Report report)
    {
        var cold = new List<double>();
        var warm = new List<double>();
        for (var i = 0; i < processes; i++)
        {
            var start = ChildProcess.StartInfo(ChildArgument);
            start.RedirectStandardOutput = true;
            using var child = Process.Start(start)!;
            var output = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            // The child's last line is "cold warm"; anything before it is not ours to parse.
            var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            cold.Add(values[0]);
            warm.Add(values[1]);
        }

        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"cold_start_ms={Report.Median(cold):0} warm_run_ms={Report.Median(warm):0} (median of {processes} fresh processes)"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_cold_vs_warm={Report.Median(cold) / Report.Median(warm):0.00}"));
    }

    /// <summary>In the child: a generated run timed from nothing, then a second one.</summary>
    public static async Task ChildAsync()
    {
        var inputs = Scenario.Inputs("cold", 0);
        var watch = Stopwatch.StartNew();
        await Scenario.GeneratedAsync("cold", "c1", inputs);
        var cold = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await Scenario.GeneratedAsync("cold", "c2", inputs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cold:0.0} {watch.Elapsed.TotalMilliseconds:0.0}"));
    }
}
