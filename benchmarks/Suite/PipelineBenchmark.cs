using System.Diagnostics;
using System.Globalization;
using VolumeGen.Testing;

namespace VolumeGen.Benchmarks;

/// <summary>
/// A three-step pipeline (produce a file, pass it through, measure it) with the intermediate file kept
/// on the engine (<see cref="ToolPipeline"/>: each step's output folder mounted read-only as the next
/// step's input), against the same steps round-tripping the file through the worker (streamed out to
/// a temporary file and streamed back in), at two sizes; median of a few runs each.
/// </summary>
internal static class PipelineBenchmark
{
    public static async Task RunAsync(long[] sizes, int iterations, Report report)
    {
        var runner = new ContainerToolRunner();
        foreach (var size in sizes)
        {
            var onEngine = new List<double>();
            var throughWorker = new List<double>();
            for (var i = -1; i < iterations; i++)
            {
                var watch = Stopwatch.StartNew();
                Check(await OnEngineAsync(runner, size, $"p{size}-{i + 1}"), size);
                var a = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                Check(await ThroughWorkerAsync(runner, size, $"w{size}-{i + 1}"), size);
                if (i >= 0)
                {
                    onEngine.Add(a);
                    throughWorker.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            var mib = size >> 20;
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"pipeline_{mib}mib_ms on_engine={Report.Median(onEngine):0} through_worker={Report.Median(throughWorker):0} ratio_on_engine_vs_through_worker={Report.Median(onEngine) / Report.Median(throughWorker):0.00}"));
        }
    }

    private static readonly TextOutputFile Size = new("size.txt");

    private static readonly StreamOutputFile Data = new("data.bin");

    private static ToolRunRequest Step(string script, string run, params ToolOutput[] outputs) =>
        ScriptRequests.Script("bench-pipe", run, script, TimeSpan.FromMinutes(10)).WithTool(t => t with { User = "65532:65532" }).WithOutputs(outputs);

    private static ToolRunRequest Step(string script, string run, Stream destination) =>
        Step(script, run, Data) with { Destinations = new Dictionary<StreamOutputFile, Stream?> { [Data] = destination } };

    private static string Produce(long size) => string.Create(CultureInfo.InvariantCulture, $"head -c {size} /dev/zero > /outputs/data.bin");

    private const string Pass = "cat /inputs/data.bin > /outputs/data.bin";

    private const string Measure = "wc -c < /inputs/data.bin | tr -d ' ' > /outputs/size.txt";

    private static async Task<string> OnEngineAsync(ContainerToolRunner runner, long size, string run)
    {
        await using var pipeline = new ToolPipeline(runner, "bench-pipe", run);
        var produced = await pipeline.RunAsync(Step(Produce(size), run));
        var passed = await pipeline.RunAsync(Step(Pass, run), inputFrom: produced);
        var measured = await pipeline.RunAsync(Step(Measure, run, Size), inputFrom: passed);
        return measured.Outcome.Get(Size)!;
    }

    private static async Task<string> ThroughWorkerAsync(ContainerToolRunner runner, long size, string run)
    {
        var (first, second) = (Path.GetTempFileName(), Path.GetTempFileName());
        try
        {
            await using (var destination = File.Create(first))
            {
                await runner.RunToolAsync(Step(Produce(size), run, destination));
            }

            await using (var source = File.OpenRead(first))
            await using (var destination = File.Create(second))
            {
                await runner.RunToolAsync(Step(Pass, run, destination) with
                {
                    Inputs = [VolumeFile.FromStream("data.bin", source, source.Length)],
                });
            }

            await using (var source = File.OpenRead(second))
            {
                var outcome = await runner.RunToolAsync(Step(Measure, run, Size) with { Inputs = [VolumeFile.FromStream("data.bin", source, source.Length)] });
                return outcome.Get(Size)!;
            }
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }

    private static void Check(string size, long expected)
    {
        if (size.Trim() != expected.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"The pipeline measured {size.Trim()} bytes, not {expected}.");
        }
    }
}
