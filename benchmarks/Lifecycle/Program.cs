// Lifecycle overhead per run (create, write, read, remove) of VolumeGen's runtime against the
// reference design's docker-CLI approach, measured side by side in one process on the same engine.
// Usage: dotnet run -c Release --project benchmarks/Lifecycle -- [--iterations N] [--quick]
using System.Diagnostics;
using System.Globalization;
using VolumeGen;
using VolumeGen.Benchmarks.Lifecycle;
using VolumeGen.Samples.StandInTools;

var iterations = args.Contains("--quick") ? 5 : 20;
var index = Array.IndexOf(args, "--iterations");
if (index >= 0)
{
    iterations = int.Parse(args[index + 1], CultureInfo.InvariantCulture);
}

var files = new Dictionary<string, string>
{
    ["domains.txt"] = string.Join('\n', Enumerable.Range(0, 100).Select(i => $"host{i}.example")),
    ["resolvers.txt"] = "1.1.1.1\n9.9.9.9\n",
};
await BusyboxImage.EnsureAsync(await new DockerConnectionOptions().ConnectAsync());

async Task VolumeGenRun(int i)
{
    await using var volume = new IsolatedContainerVolume("bench", $"r{i}");
    await volume.InitializeAsync(files);
    var read = await volume.ReadFilesAsync(files.Keys);
    if (read["domains.txt"] != files["domains.txt"])
    {
        throw new InvalidOperationException("VolumeGen read back different content");
    }
}

// Per-phase times of VolumeGen, from its own tracing source.
var phases = new Dictionary<string, List<double>>();
using var listener = new ActivityListener
{
    ShouldListenTo = source => source.Name == VolumeGenTelemetry.SourceName,
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    ActivityStopped = activity =>
    {
        lock (phases)
        {
            (phases.TryGetValue(activity.OperationName, out var list) ? list : phases[activity.OperationName] = []).Add(activity.Duration.TotalMilliseconds);
        }
    },
};
ActivitySource.AddActivityListener(listener);

// Warm up both (image import, helper image, HTTP connection, CLI page cache), then alternate.
await VolumeGenRun(-1);
await CliBaseline.RunAsync("bench-cli-warmup", files);
var cli = new List<double>();
var runtime = new List<double>();
for (var i = 0; i < iterations; i++)
{
    var watch = Stopwatch.StartNew();
    await CliBaseline.RunAsync($"tenant-bench-run-r{i}-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}", files);
    cli.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    await VolumeGenRun(i);
    runtime.Add(watch.Elapsed.TotalMilliseconds);
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var report = string.Join('\n',
    $"lifecycle: create + write 2 files + read 2 files + remove, {iterations} iterations, median ms",
    string.Join('\n', phases.OrderBy(p => p.Key).Select(p => $"runtime_{p.Key.Replace('.', '_')}_median_ms={Median(p.Value):0.0}")),
    $"cli_median_ms={Median(cli):0.0}",
    $"runtime_median_ms={Median(runtime):0.0}",
    $"ratio_runtime_vs_cli={Median(runtime) / Median(cli):0.00}");
Console.WriteLine(report);
Directory.CreateDirectory("artifacts");
await File.WriteAllTextAsync("artifacts/lifecycle-benchmark.txt", report + "\n");
