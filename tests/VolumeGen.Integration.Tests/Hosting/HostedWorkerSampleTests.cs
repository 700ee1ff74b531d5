using System.Text.Json;
using Docker.DotNet.Models;
using Microsoft.Extensions.Hosting;
using VolumeGen.Samples.HostedWorker;

namespace VolumeGen.Integration.Tests.Hosting;

/// <summary>The hosted worker sample (samples/HostedWorker) as it runs, against the real engine.</summary>
public class HostedWorkerSampleTests
{
    [Fact]
    public async Task Jobs_of_several_tenants_run_to_their_results()
    {
        var tenants = new[] { DockerEngine.NewTenant("hw"), DockerEngine.NewTenant("hw") };
        using var folders = new JobFolderSet();
        folders.AddJobs(tenants, paceSeconds: 0, targets: ["a.example", "b.example"]);

        using var host = HostedWorkerApp.CreateBuilder(folders.Arguments("--Jobs:ExitWhenIdle=true")).Build();
        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(4, Directory.GetFiles(folders.Done, "*.results.jsonl").Length);
        var lines = File.ReadAllLines(Directory.GetFiles(folders.Done, "*.results.jsonl")[0]);
        Assert.Equal(["a.example", "b.example"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("target").GetString()));
        Assert.Empty(Directory.GetFiles(folders.Inbox));
        Assert.Empty(Directory.GetFiles(folders.Failed));
        foreach (var tenant in tenants)
        {
            await DockerEngine.AssertNoLeftoversAsync(tenant);
        }
    }

    [Fact]
    public async Task Stopping_the_host_mid_run_leaves_nothing_and_loses_no_job()
    {
        var tenants = new[] { DockerEngine.NewTenant("hw"), DockerEngine.NewTenant("hw"), DockerEngine.NewTenant("hw") };
        using var folders = new JobFolderSet();
        folders.AddJobs(tenants, paceSeconds: 20, targets: ["slow.example"]);

        using var host = HostedWorkerApp.CreateBuilder(folders.Arguments("--Jobs:Concurrency=4")).Build();
        await host.StartAsync();
        // Wait until tools are really running: their containers exist and are up.
        for (var waited = 0; waited < 600 && await RunningToolsAsync(tenants) < 4; waited++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(4, await RunningToolsAsync(tenants));
        for (var waited = 0; waited < 300 && !File.Exists(folders.HealthFile); waited++)
        {
            await Task.Delay(100); // published a second after the start, then every 10 s
        }

        Assert.Contains("\"status\":\"Healthy\"", File.ReadAllText(folders.HealthFile), StringComparison.Ordinal);
        await host.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));

        foreach (var tenant in tenants)
        {
            await DockerEngine.AssertNoLeftoversAsync(tenant);
        }

        Assert.Equal(6, Directory.GetFiles(folders.Inbox, "*.json").Length); // the 4 interrupted and the 2 never started
        Assert.Empty(Directory.GetFiles(folders.Processing));
        Assert.Empty(Directory.GetFiles(folders.Done));
        Assert.Empty(Directory.GetFiles(folders.Failed));
    }

    private static async Task<int> RunningToolsAsync(IEnumerable<string> tenants)
    {
        var containers = await (await DockerEngine.ClientAsync()).Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["io.volumegen.role=tool"] = true } },
        });
        // A tool run without a tenant (other tests, at the same time) has no tenant label.
        return containers.Count(c => c.State == "running" && c.Labels is { } labels && labels.TryGetValue("io.volumegen.tenant", out var tenant) && tenants.Contains(tenant));
    }

    /// <summary>The sample's job folders and health file under one temporary folder.</summary>
    private sealed class JobFolderSet : IDisposable
    {
        private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("volumegen-hosted-");

        public string Inbox => Path.Combine(_root.FullName, "inbox");

        public string Processing => Path.Combine(_root.FullName, "processing");

        public string Done => Path.Combine(_root.FullName, "done");

        public string Failed => Path.Combine(_root.FullName, "failed");

        public string HealthFile => Path.Combine(_root.FullName, "health.json");

        /// <summary>Two jobs per tenant.</summary>
        public void AddJobs(IEnumerable<string> tenants, int paceSeconds, string[] targets)
        {
            Directory.CreateDirectory(Inbox);
            foreach (var (tenant, run) in tenants.SelectMany(t => new[] { (t, "r1"), (t, "r2") }))
            {
                File.WriteAllText(Path.Combine(Inbox, $"{tenant}-{run}.json"), JsonSerializer.Serialize(new ScanJob(tenant, run, targets, paceSeconds), JsonSerializerOptions.Web));
            }
        }

        public string[] Arguments(params string[] more) =>
        [
            $"--Jobs:Inbox={Inbox}", $"--Jobs:Processing={Processing}", $"--Jobs:Done={Done}", $"--Jobs:Failed={Failed}",
            $"--Health:File={HealthFile}", "--Telemetry:Console=false", "--VolumeGen:Sweeper:Enabled=false", .. more,
        ];

        public void Dispose() => _root.Delete(recursive: true);
    }
}
