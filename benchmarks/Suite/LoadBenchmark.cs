using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace VolumeGen.Benchmarks;

/// <summary>
/// Throughput under load: N runs across 8 tenants at several concurrency levels, VolumeGen's
/// generated wrapper and the CLI approach. Every run checks it got exactly its own tenant's data
/// back; after each level nothing may be left.
/// </summary>
internal static class LoadBenchmark
{
    /// <summary>Runs per second by way and concurrency.</summary>
    public static async Task<Dictionary<(string Way, int Concurrency), double>> RunAsync(int runs, int[] levels, Report report)
    {
        var throughput = new Dictionary<(string Way, int Concurrency), double>();
        foreach (var concurrency in levels)
        {
            foreach (var (way, run) in new (string, Func<string, string, IReadOnlyDictionary<string, string>, Task<string>>)[]
            {
                ("volumegen", Scenario.GeneratedAsync),
                ("cli", (tenant, id, inputs) => CliBaseline.RunAsync($"cli-load-{tenant}-{id}", inputs)),
            })
            {
                var crossTenant = 0;
                var failures = new ConcurrentBag<string>();
                var latencies = new ConcurrentBag<double>();
                var watch = Stopwatch.StartNew();
                await Parallel.ForEachAsync(Enumerable.Range(0, runs), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
                {
                    var tenant = $"load{i % 8}";
                    var inputs = Scenario.Inputs(tenant, i);
                    try
                    {
                        var one = Stopwatch.StartNew();
                        if (await run(tenant, $"c{concurrency}-{i}", inputs) != Scenario.Expected(inputs))
                        {
                            Interlocked.Increment(ref crossTenant);
                        }

                        latencies.Add(one.Elapsed.TotalMilliseconds);
                    }
                    catch (Exception e)
                    {
                        failures.Add(e.Message);
                    }
                });
                var perSecond = runs / watch.Elapsed.TotalSeconds;
                throughput[(way, concurrency)] = perSecond;
                var leftovers = way == "cli" ? await CliBaseline.CountLeftoversAsync() : await VolumeGenLeftoversAsync();
                report.Line(string.Create(CultureInfo.InvariantCulture,
                    $"load_{way}_c{concurrency}_runs_per_s={perSecond:0.00} (runs={runs}, failed={failures.Count}, wrong_or_foreign_output={crossTenant}, leftovers={leftovers}; " +
                    $"run ms p50/p95/p99 {Report.Median(latencies.DefaultIfEmpty()):0}/{Report.Percentile(latencies.DefaultIfEmpty(), 95):0}/{Report.Percentile(latencies.DefaultIfEmpty(), 99):0})"));
                if (!failures.IsEmpty || crossTenant > 0 || leftovers > 0)
                {
                    report.Line($"  first failure: {failures.FirstOrDefault() ?? "(none)"}");
                }
            }
        }

        return throughput;
    }

    private static async Task<int> VolumeGenLeftoversAsync()
    {
        var sweeper = new OrphanVolumeSweeper();
        var volumes = 0;
        for (var t = 0; t < 8; t++)
        {
            volumes += (await sweeper.ListVolumesAsync($"load{t}")).Count + (await sweeper.ListContainersAsync($"load{t}")).Count;
        }

        return volumes;
    }
}
