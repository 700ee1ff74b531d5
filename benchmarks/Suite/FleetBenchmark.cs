using System.Diagnostics;
using System.Globalization;
using VolumeGen.Samples.HostedWorker;
using VolumeGen.Testing;

namespace VolumeGen.Benchmarks;

/// <summary>
/// What the broker costs and what more workers give: the hosted worker sample's job (one target, no
/// pace: a tool run with an input and an output file) run N times directly (the generated wrapper,
/// two at a time, as one worker runs them) against the same N jobs through RabbitMQ to one worker
/// process (two at a time) and to three (two at a time each), all on one engine, measured in this run.
/// Needs the broker of <c>scripts/rabbitmq.sh start</c>.
/// </summary>
internal static class FleetBenchmark
{
    private const int RunsPerWorker = 2;

    public static async Task RunAsync(int jobs, Report report)
    {
        var engine = new DockerConnectionOptions().ResolvedEndpoint.ToString();
        var direct = await DirectAsync(jobs);
        var oneWorker = await ThroughBrokerAsync(jobs, workers: 1, engine);
        var threeWorkers = await ThroughBrokerAsync(jobs, workers: 3, engine);
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"fleet_direct_jobs_per_s={direct:0.00} fleet_broker_1_worker_jobs_per_s={oneWorker:0.00} fleet_broker_3_workers_jobs_per_s={threeWorkers:0.00} " +
            $"(jobs={jobs}, {RunsPerWorker} runs at a time per worker, {Environment.ProcessorCount} cores)"));
        // Per job, at the same concurrency: the broker's round trips, the result store and the worker's own process.
        report.Line(string.Create(CultureInfo.InvariantCulture, $"fleet_broker_cost_ms_per_job={(1 / oneWorker - 1 / direct) * 1000 * RunsPerWorker:0}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_fleet_broker_1_worker_vs_direct={oneWorker / direct:0.00}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_fleet_3_workers_vs_1_worker={threeWorkers / oneWorker:0.00}"));
    }

    private static async Task<double> DirectAsync(int jobs)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs), new ParallelOptions { MaxDegreeOfParallelism = RunsPerWorker }, async (i, _) =>
        {
            var tool = new PacedScanTool { Targets = $"h{i}.example" };
            await tool.RunAsync(new ToolRunContext("bench-fleet", $"direct-{i}"));
        });
        return jobs / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> ThroughBrokerAsync(int jobs, int workers, string engine)
    {
        await using var broker = await TestBroker.CreateAsync($"bench{workers}");
        var started = Enumerable.Range(0, workers).Select(w => FleetWorker.Start($"bench-w{w}", engine, broker.Queues, RunsPerWorker, sweep: false)).ToList();
        try
        {
            // Timed from the first job published, with every worker consuming already.
            while (started.Any(w => w.Count("consumes") == 0))
            {
                await Task.Delay(100);
            }

            var watch = Stopwatch.StartNew();
            for (var i = 0; i < jobs; i++)
            {
                await broker.PublishAsync($"job-{i}", new ScanJob("bench-fleet", $"broker-{workers}-{i}", [$"h{i}.example"]));
            }

            while (broker.Results().Count < jobs)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException($"{broker.Results().Count} of {jobs} results after {watch.Elapsed}");
                }

                await Task.Delay(50);
            }

            return jobs / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            await Task.WhenAll(started.Select(w => w.StopAsync(TimeSpan.FromSeconds(60))));
            foreach (var worker in started)
            {
                await worker.DisposeAsync();
            }
        }
    }
}
