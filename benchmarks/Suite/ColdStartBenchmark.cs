using System.Diagnostics;
using System.Globalization;

namespace VolumeGen.Benchmarks;

/// <summary>
/// The first run in a fresh process (connection and API negotiation, engine detection, helper-image
/// check, user resolution, JIT) against the second run in that process, each in a child process of
/// its own, a few times; the medians and their ratio are reported. Then the same with
/// <see cref="ContainerToolRunner.WarmUpAsync(CancellationToken)"/> first, as a hosted worker does when
/// it starts: the first job's time against the second's, and the warm-up's own time; and again with
/// the tool given to the warm-up (its image and user looked up), as <c>AddVolumeGenWarmUp&lt;TTool&gt;</c> does.
/// </summary>
internal static class ColdStartBenchmark
{
    public const string ChildArgument = "coldstart-child";

    public const string WarmUpArgument = "warm-up";

    public const string WithToolArgument = "with-tool";

    public static async Task RunAsync(int processes, Report report)
    {
        var cold = await ChildrenAsync(processes, ChildArgument);
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"cold_start_ms={Report.Median(cold[0]):0} warm_run_ms={Report.Median(cold[1]):0} (median of {processes} fresh processes)"));
        var warmedUp = await ChildrenAsync(processes, ChildArgument, WarmUpArgument);
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"after_warm_up: warm_up_ms={Report.Median(warmedUp[2]):0} first_run_ms={Report.Median(warmedUp[0]):0} second_run_ms={Report.Median(warmedUp[1]):0} (median of {processes} fresh processes)"));
        var withTool = await ChildrenAsync(processes, ChildArgument, WarmUpArgument, WithToolArgument);
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"after_warm_up_with_the_tool: warm_up_ms={Report.Median(withTool[2]):0} first_run_ms={Report.Median(withTool[0]):0} second_run_ms={Report.Median(withTool[1]):0} (median of {processes} fresh processes)"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_cold_vs_warm={Report.Median(cold[0]) / Report.Median(cold[1]):0.00}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_first_run_after_warm_up_vs_warm={Report.Median(warmedUp[0]) / Report.Median(warmedUp[1]):0.00}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_first_run_after_warm_up_with_the_tool_vs_warm={Report.Median(withTool[0]) / Report.Median(withTool[1]):0.00}"));
    }

    /// <summary>The children's figures, by position in their last line, one list per position.</summary>
    private static async Task<List<double>[]> ChildrenAsync(int processes, params string[] arguments)
    {
        var figures = new List<double>[3];
        for (var i = 0; i < figures.Length; i++)
        {
            figures[i] = [];
        }

        for (var i = 0; i < processes; i++)
        {
            var start = ChildProcess.StartInfo(arguments);
            start.RedirectStandardOutput = true;
            using var child = Process.Start(start)!;
            var output = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            // The child's last line is "first second [warm-up]"; anything before it is not ours to parse.
            var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            for (var v = 0; v < values.Length; v++)
            {
                figures[v].Add(values[v]);
            }
        }

        return figures;
    }

    /// <summary>In the child: a generated run timed from nothing (or after the warm-up, with or without the tool, also timed), then a second one.</summary>
    public static async Task ChildAsync(bool warmUpFirst, bool withTool)
    {
        var inputs = Scenario.Inputs("cold", 0);
        var watch = Stopwatch.StartNew();
        var warmUp = "";
        if (warmUpFirst)
        {
            await new ContainerToolRunner().WarmUpAsync(withTool ? [ToolDefinition.Of<SortTool>().Tool] : []);
            warmUp = string.Create(CultureInfo.InvariantCulture, $" {watch.Elapsed.TotalMilliseconds:0.0}");
            watch.Restart();
        }

        await Scenario.GeneratedAsync("cold", "c1", inputs);
        var cold = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await Scenario.GeneratedAsync("cold", "c2", inputs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cold:0.0} {watch.Elapsed.TotalMilliseconds:0.0}{warmUp}"));
    }
}
