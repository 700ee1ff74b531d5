using System.Diagnostics;
using System.Globalization;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Benchmarks;

/// <summary>
/// What resolving the tool's user adds to a run: warm (the user is cached per image ID, so one image
/// inspect) on every run, and cold (a named user: a never-started probe container and two archive
/// reads of the image's /etc/passwd and /etc/group) on the first run per image and user in a process.
/// </summary>
internal static class UserResolutionBenchmark
{
    public static async Task<(double Warm, double Cold)> RunAsync(int iterations, Report report)
    {
        var runner = new ContainerToolRunner();
        var spec = new ToolRunSpec(BusyboxImage.Name) { User = "nonroot" };
        await runner.ResolveUserAsync(spec); // connection, JIT, cache
        var warm = new List<double>();
        var cold = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            await runner.ResolveUserAsync(spec);
            warm.Add(watch.Elapsed.TotalMilliseconds);

            // A group the cache has not seen makes the resolution cold again (the key is image ID and user).
            watch.Restart();
            await runner.ResolveUserAsync(spec with { User = string.Create(CultureInfo.InvariantCulture, $"nonroot:{20000 + i + Environment.TickCount % 10000}") });
            cold.Add(watch.Elapsed.TotalMilliseconds);
        }

        var result = (Report.Median(warm), Report.Median(cold));
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"user resolution ({iterations} each), median ms: warm={result.Item1:0.0} (every run) cold={result.Item2:0.0} (first run per image and user)"));
        return result;
    }
}
