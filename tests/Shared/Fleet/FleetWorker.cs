using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using VolumeGen.Samples.HostedWorker.Broker;
using VolumeGen.Samples.StandInTools;

// Shared by the integration tests and the benchmarks (linked into both projects; they reference the hosted worker sample).
namespace VolumeGen.Testing;

/// <summary>
/// A hosted worker in broker mode as its own process (the sample's executable, as a deployment runs
/// it): on one engine, consuming one test's queues, sweeping its engine's orphans every few seconds
/// (every worker of these tests runs on this host, hence <c>Sweeper:SingleHost</c>). Its log lines are kept.
/// </summary>
internal sealed class FleetWorker : IAsyncDisposable
{
    private readonly Process _process;

    private FleetWorker(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public ConcurrentQueue<string> Log { get; } = new();

    public bool HasExited => _process.HasExited;

    public static FleetWorker Start(string name, string engine, BrokerSettings queues, int concurrency = 2, string? publishFrom = null, bool sweep = true)
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "VolumeGen.Samples.HostedWorker");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException("The hosted worker sample is built beside this assembly (a project reference)", executable);
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory($"volumegen-{name}-").FullName,
        };
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Jobs:Source"] = "Broker",
            ["Jobs:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Broker:Uri"] = queues.Uri,
            ["Broker:JobQueue"] = queues.JobQueue,
            ["Broker:DeadLetterQueue"] = queues.DeadLetterQueue,
            ["Broker:DeliveryLimit"] = queues.DeliveryLimit.ToString(CultureInfo.InvariantCulture),
            ["Broker:ResultsFolder"] = queues.ResultsFolder,
            ["Broker:WorkerName"] = name,
            ["Broker:DrainTimeout"] = "00:00:40",
            ["VolumeGen:Endpoint"] = engine,
            ["VolumeGen:Sweeper:Enabled"] = sweep ? "true" : "false",
            ["VolumeGen:Sweeper:SingleHost"] = "true",
            ["VolumeGen:Sweeper:InitialDelay"] = "00:00:01",
            ["VolumeGen:Sweeper:Period"] = "00:00:03",
            ["VolumeGen:Sweeper:OlderThan"] = "00:00:05",
            ["Telemetry:Console"] = "false",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        })
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        if (publishFrom is not null)
        {
            start.ArgumentList.Add($"--Broker:PublishFrom={publishFrom}");
        }

        return new FleetWorker(name, Process.Start(start)!);
    }

    /// <summary>The image the sample's tool runs, on an engine the tests started (no registry has it).</summary>
    public static async Task EnsureToolImageAsync(string engine) =>
        await BusyboxImage.EnsureAsync(await new DockerConnectionOptions { Endpoint = new Uri(engine) }.ConnectAsync());

    /// <summary>SIGKILL: no shutdown code runs, as when the host or the container runtime kills it.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a container stop sends: the host stops gracefully; waits for the exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            await ExternalProcess.RunAsync("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
        }

        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
    }

    public int Count(string text) => Log.Count(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>Volumes this worker's sweeper removed, from its log.</summary>
    public int SweptVolumes() => Log.Select(line => System.Text.RegularExpressions.Regex.Match(line, @"Orphan sweep .*: removed (\d+) volumes"))
        .Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            Log.Enqueue(line);
        }
    }
}
