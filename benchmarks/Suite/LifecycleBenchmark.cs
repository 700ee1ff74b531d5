using System.Diagnostics;
using System.Globalization;

namespace VolumeGen.Benchmarks;

/// <summary>Per-run lifecycle time of the three ways, alternated in one process on one engine; medians and ratios.</summary>
internal static class LifecycleBenchmark
{
    public static async Task<(double Cli, double Runtime, double Generated)> RunAsync(int iterations, Report report)
    {
        var inputs = Scenario.Inputs("bench", 0);
        var expected = Scenario.Expected(inputs);
        var cli = new List<double>();
        var runtime = new List<double>();
        var generated = new List<double>();
        for (var i = -1; i < iterations; i++) // round -1 warms up caches, connections and the JIT
        {
            var watch = Stopwatch.StartNew();
            Check(await CliBaseline.RunAsync($"cli-bench-{i + 1}-{Environment.TickCount64}", inputs), expected);
            var a = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            Check(await Scenario.RuntimeAsync("bench", $"r{i + 1}", inputs), expected);
            var b = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            Check(await Scenario.GeneratedAsync("bench", $"g{i + 1}", inputs), expected);
            var c = watch.Elapsed.TotalMilliseconds;
            if (i >= 0)
            {
                cli.Add(a);
                runtime.Add(b);
                generated.Add(c);
            }
        }

        var medians = (Report.Median(cli), Report.Median(runtime), Report.Median(generated));
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"lifecycle ({iterations} runs each: 2 files in, tool, 1 file out, 2 volumes removed), median ms: cli={medians.Item1:0} runtime={medians.Item2:0} generated={medians.Item3:0}"));
        return medians;
    }

    private static void Check(string actual, string expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException("A run returned the wrong output.");
        }
    }
}
