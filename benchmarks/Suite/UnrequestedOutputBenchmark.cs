using System.Diagnostics;
using System.Globalization;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Benchmarks;

/// <summary>
/// What a tool's unrequested output costs a run: the same run whose output folder holds only the
/// requested file (one archive request), 8 MiB besides it (within MaxUnrequestedBytes: still one
/// request, the 8 MiB streamed past), and a 1 TiB sparse file besides it (past the budget at its
/// header: the one request is abandoned and the output read through its own).
/// </summary>
internal static class UnrequestedOutputBenchmark
{
    private static readonly (string Name, string Junk)[] Cases =
    [
        ("only_requested", "true"),
        ("junk_8mib", "head -c 8388608 /dev/zero > /outputs/aaa-junk"),
        ("sparse_1tib", "truncate -s 1024G /outputs/aaa-junk"),
    ];

    public static async Task<IReadOnlyDictionary<string, double>> RunAsync(int iterations, Report report)
    {
        var runner = new ContainerToolRunner();
        var medians = new Dictionary<string, double>();
        foreach (var (name, junk) in Cases)
        {
            await RunOnceAsync(runner, junk, "warmup");
            var times = new List<double>();
            for (var i = 0; i < iterations; i++)
            {
                var watch = Stopwatch.StartNew();
                await RunOnceAsync(runner, junk, string.Create(CultureInfo.InvariantCulture, $"r{i}"));
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            medians[name] = Report.Median(times);
        }

        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"unrequested output ({iterations} runs each), median ms per run: {string.Join(' ', medians.Select(m => $"{m.Key}={m.Value:0.0}"))}"));
        return medians;
    }

    private static async Task RunOnceAsync(ContainerToolRunner runner, string junk, string run)
    {
        var result = new TextOutputFile("result.txt");
        var tool = new ToolRunSpec(BusyboxImage.Name) { Entrypoint = ["/bin/sh", "-c"], Command = [$"{junk} && echo ok > /outputs/result.txt"] };
        var outcome = await runner.RunToolAsync(new ToolRunRequest(new ToolDefinition(tool) { Outputs = [result] }, "bench-unrequested", run));
        if (outcome.Get(result) != "ok\n")
        {
            throw new InvalidOperationException("the run did not return its output");
        }
    }
}
