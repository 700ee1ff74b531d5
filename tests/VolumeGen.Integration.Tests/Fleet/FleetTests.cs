using System.Diagnostics;
using System.Globalization;
using System.Text;
using Docker.DotNet.Models;
using VolumeGen.Samples.HostedWorker;
using Xunit.Abstractions;
using VolumeGen.Testing;

namespace VolumeGen.Integration.Tests.Fleet;

/// <summary>
/// Many workers on two engines behind a real RabbitMQ broker: each a hosted worker process in broker
/// mode, as a fleet deploys it. What a fleet needs from VolumeGen is checked from the outside: the
/// results stored (once each), the dead letters, and what is left on each engine.
/// </summary>
[Collection(nameof(FleetCollection))]
public sealed class FleetTests(FleetEngines engines, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Three_workers_on_two_engines_store_every_result_once_dead_letter_the_poison_and_leave_nothing_when_one_is_killed()
    {
        await using var broker = await TestBroker.CreateAsync("fleet");
        var tenants = Enumerable.Range(0, 3).Select(i => DockerEngine.NewTenant($"f{i}")).ToArray();
        var good = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var jobId = $"job-{i:00}";
            var tenant = tenants[i % 3];
            switch (i)
            {
                case 7:
                    await broker.PublishRawAsync(jobId, "{not json"u8.ToArray()); // bad input: dead-lettered at once
                    break;
                case 23:
                    await broker.PublishAsync(jobId, new ScanJob("no such tenant!", "r", ["a.example"])); // refused before anything exists
                    break;
                case 41:
                    await broker.PublishAsync(jobId, new ScanJob(tenant, $"run-{i}", ["a.example", "not a host!"])); // the tool fails every time
                    break;
                default:
                    await broker.PublishAsync(jobId, new ScanJob(tenant, $"run-{i}", [$"h{i}a.example", $"h{i}b.example"], PaceSeconds: 1));
                    good.Add(jobId);
                    break;
            }
        }

        var stopwatch = Stopwatch.StartNew();
        var workers = new List<FleetWorker>
        {
            FleetWorker.Start("w1", engines.Main, broker.Queues),
            FleetWorker.Start("w2", engines.Main, broker.Queues), // two workers sharing one engine
            FleetWorker.Start("w3", engines.Second, broker.Queues),
        };
        try
        {
            // Kill w1 while a tool of its runs: its job must complete elsewhere.
            var victim = workers[0];
            var inFlight = await WaitForAsync(() => RunningToolOfAsync(victim), "a tool of w1 running");
            await victim.KillAsync();
            output.WriteLine($"killed w1 (pid {victim.Pid}) during run {inFlight} after {stopwatch.Elapsed.TotalSeconds:0} s");
            var restarted = FleetWorker.Start("w1-restarted", engines.Main, broker.Queues);
            workers.Add(restarted);

            await WaitForAsync(() => Task.FromResult(broker.Results().Count == good.Count ? "" : null), $"{good.Count} results");
            var finished = stopwatch.Elapsed;
            var deadLetters = await WaitForAsync(async () => await broker.DeadLettersAsync() is { Count: 3 } letters ? letters : null, "3 dead letters");

            // The killed run's volumes and containers are swept by the restarted w1 (its engine, its dead pid).
            var leftovers = await WaitForAsync(async () => await LeftoversAsync(tenants) is { Length: 0 } ? "" : null, "no leftovers on either engine", TimeSpan.FromSeconds(90));

            var results = broker.Results();
            Assert.Equal(good.Order(), results.Keys.Order());
            Assert.All(results, r => Assert.Equal(2, r.Value.Results.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
            Assert.Empty(Directory.GetFiles(broker.Queues.ResultsFolder, ".*.tmp"));
            Assert.Equal(["job-07", "job-23", "job-41"], deadLetters.Select(d => d.JobId).Order());
            Assert.Contains("cannot run", deadLetters.Single(d => d.JobId == "job-07").Reason);
            Assert.Contains("tenantId", deadLetters.Single(d => d.JobId == "job-23").Reason);
            Assert.Contains("ContainerToolFailedException on delivery 3 of 3", deadLetters.Single(d => d.JobId == "job-41").Reason);
            Assert.Equal(0u, await broker.JobsWaitingAsync());
            // No good job ever failed: neither worker on the shared engine took the other's live volumes.
            Assert.All(workers, w => Assert.Equal(0, w.Log.Count(l => l.Contains("failed on delivery", StringComparison.Ordinal) && !l.Contains("job-41", StringComparison.Ordinal))));

            // The killed run's volumes and containers went to a sweeper of a live worker on that engine.
            Assert.True(workers.Sum(w => w.SweptVolumes()) >= 1, "a worker's sweeper removed the killed worker's volumes");
            var killedJob = $"job-{int.Parse(inFlight["run-".Length..], CultureInfo.InvariantCulture):00}";
            output.WriteLine($"the killed run's job {killedJob} completed on {results[killedJob].Worker}; sweepers removed {workers.Sum(w => w.SweptVolumes())} volume(s)");
            var byWorker = results.Values.GroupBy(r => r.Worker).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine($"{results.Count} results in {finished.TotalSeconds:0} s ({results.Count / finished.TotalMinutes:0} jobs/min): " +
                string.Join(", ", byWorker.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")) + $"; dead letters: {string.Join("; ", deadLetters.Select(d => $"{d.JobId}: {d.Reason}"))}");
            Assert.True(byWorker.ContainsKey("w3"), "the worker on the second engine ran jobs");
        }
        finally
        {
            await Task.WhenAll(workers.Select(w => w.StopAsync(TimeSpan.FromSeconds(60))));
            foreach (var worker in workers)
            {
                output.WriteLine($"--- {worker.Name} (pid {worker.Pid}):\n{string.Join('\n', worker.Log.Where(l => !l.Contains("ContainerToolRunner", StringComparison.Ordinal)).TakeLast(12))}");
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_graceful_stop_drains_the_runs_in_flight_and_leaves_the_jobs_not_started_in_the_queue()
    {
        await using var broker = await TestBroker.CreateAsync("drain");
        var tenant = DockerEngine.NewTenant("fd");
        // Fed as the README feeds a worker: job files that it publishes when it starts (Broker:PublishFrom).
        var inbox = Directory.CreateTempSubdirectory("volumegen-inbox-").FullName;
        for (var i = 0; i < 6; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(inbox, $"job-{i}.json"), $$"""{"tenant":"{{tenant}}","run":"run-{{i}}","targets":["a.example","b.example"],"paceSeconds":2}""");
        }

        await using var worker = FleetWorker.Start("drainer", engines.Main, broker.Queues, concurrency: 2, publishFrom: inbox);
        await WaitForAsync(async () => await RunningToolsOfAsync(worker) >= 2 ? "" : null, "two runs in flight");
        await worker.StopAsync(TimeSpan.FromSeconds(60)); // SIGTERM, as a container stop sends

        // The two runs finished and were stored; the four jobs never started wait for another worker.
        Assert.Equal(2, broker.Results().Count);
        Assert.Equal(4u, await broker.JobsWaitingAsync());
        Assert.Empty(await broker.DeadLettersAsync());
        Assert.Equal(1, worker.Count("drained: no run in flight"));
        Assert.Equal(6, worker.Count("published to"));
        Assert.Empty(Directory.GetFiles(inbox));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Workers_reconnect_after_the_broker_restarts_mid_load_and_no_job_is_lost_or_stored_twice()
    {
        await using var broker = await TestBroker.CreateAsync("restart");
        var tenant = DockerEngine.NewTenant("fr");
        var jobs = Enumerable.Range(0, 20).Select(i => $"job-{i:00}").ToList();
        foreach (var (jobId, i) in jobs.Select((j, i) => (j, i)))
        {
            await broker.PublishAsync(jobId, new ScanJob(tenant, $"run-{i}", [$"h{i}.example"], PaceSeconds: 1));
        }

        await using var first = FleetWorker.Start("r1", engines.Main, broker.Queues);
        await using var second = FleetWorker.Start("r2", engines.Main, broker.Queues);
        await WaitForAsync(() => Task.FromResult(broker.Results().Count >= 4 ? "" : null), "4 results");
        await RepositoryScripts.RunAsync("rabbitmq.sh", "restart"); // same data: queues and messages survive, as in an upgrade
        await broker.ReconnectAsync(); // the test's own connection; the workers' recover by themselves
        await WaitForAsync(() => Task.FromResult(broker.Results().Count == jobs.Count ? "" : null), $"{jobs.Count} results after the restart");

        Assert.Equal(jobs, broker.Results().Keys.Order());
        Assert.Equal(0u, await broker.JobsWaitingAsync());
        Assert.Empty(await broker.DeadLettersAsync());
        await Task.WhenAll(first.StopAsync(TimeSpan.FromSeconds(60)), second.StopAsync(TimeSpan.FromSeconds(60)));
        output.WriteLine($"acknowledgements lost to the restart: {first.Count("before the acknowledgement") + second.Count("before the acknowledgement")}; " +
            $"redelivered jobs acknowledged without a second run: {first.Count("without running again") + second.Count("without running again")}");
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    private static async Task<int> RunningToolsOfAsync(FleetWorker worker) => (await RunningToolsAsync(worker)).Count;

    /// <summary>The run ID of a tool container of <paramref name="worker"/> that is running now, or null.</summary>
    private static async Task<string?> RunningToolOfAsync(FleetWorker worker) => (await RunningToolsAsync(worker)).FirstOrDefault();

    /// <summary>The run IDs of the tool containers of <paramref name="worker"/> running now.</summary>
    private static async Task<List<string>> RunningToolsAsync(FleetWorker worker)
    {
        var client = await DockerEngine.ClientAsync();
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{DockerConnectionOptions.DefaultLabelPrefix}.role=tool"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        });
        var pid = $"/{worker.Pid.ToString(CultureInfo.InvariantCulture)}/";
        return containers.Where(c => c.Labels?.TryGetValue($"{DockerConnectionOptions.DefaultLabelPrefix}.owner", out var owner) == true && owner!.Contains(pid, StringComparison.Ordinal))
            .Select(c => c.Labels![$"{DockerConnectionOptions.DefaultLabelPrefix}.run"]).ToList();
    }

    private async Task<string[]> LeftoversAsync(string[] tenants)
    {
        var found = new List<string>();
        foreach (var engine in new[] { engines.Main, engines.Second })
        {
            var client = await FleetEngines.ClientAsync(engine);
            foreach (var tenant in tenants)
            {
                var (volumes, containers) = await DockerEngine.LeftoversAsync(tenant, client);
                found.AddRange(volumes.Concat(containers).Select(l => $"{engine}: {l}"));
            }
        }

        return found.ToArray();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? patience = null)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (deadline.Elapsed > (patience ?? Patience))
            {
                throw new TimeoutException($"waited {deadline.Elapsed.TotalSeconds:0} s for {what}");
            }

            await Task.Delay(250);
        }
    }
}
