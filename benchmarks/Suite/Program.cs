// VolumeGen against the hand-rolled docker-CLI design, measured side by side on the same engine.
// Usage: dotnet run -c Release --project benchmarks/Suite -- [lifecycle|blocks|coldstart|pipeline|lazy|unrequested|tls|load|size|fleet|all] [--quick]
// Not part of the pass/fail tests: it reports numbers (and ratios against the CLI measured in the
// same run), writes them to artifacts/benchmark-results.txt, and ends with the ratio lines.
using System.Globalization;
using VolumeGen;
using VolumeGen.Benchmarks;
using VolumeGen.Samples.StandInTools;

switch (args.FirstOrDefault())
{
    case ColdStartBenchmark.ChildArgument:
        await ColdStartBenchmark.ChildAsync(warmUpFirst: args.Contains(ColdStartBenchmark.WarmUpArgument), withTool: args.Contains(ColdStartBenchmark.WithToolArgument));
        return;
    case LazyCleanupBenchmark.ChildArgument:
        await LazyCleanupBenchmark.ChildAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        return;
}

var quick = args.Contains("--quick");
var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
await BusyboxImage.EnsureAsync(await new DockerConnectionOptions().ConnectAsync());
var report = new Report();
report.Line($"VolumeGen benchmarks ({(quick ? "quick" : "full")}), {DateTime.UtcNow:u}, {Environment.ProcessorCount} cores");

LifecycleBenchmark.Ways? lifecycle = null;
(double Warm, double Cold)? userResolution = null;
if (what is "all" or "size")
{
    // First, while the process is small, so its peak memory is the transfer's own.
    await SizeBenchmark.RunAsync(quick ? 256L << 20 : 1L << 30, report);
}

(double Floor, double Blocks)? volumeBlocks = null;
if (what is "all" or "lifecycle" or "blocks")
{
    volumeBlocks = await VolumeBlocksBenchmark.RunAsync(quick ? 10 : 30, report);
}

if (what is "all" or "lifecycle")
{
    lifecycle = await LifecycleBenchmark.RunAsync(quick ? 5 : 15, "docker", report);
    userResolution = await UserResolutionBenchmark.RunAsync(quick ? 5 : 15, report);
}

if (what is "all" or "lifecycle" or "coldstart")
{
    await ColdStartBenchmark.RunAsync(quick ? 2 : 5, report);
}

if (what is "all" or "lifecycle")
{
    if (Environment.GetEnvironmentVariable("VOLUMEGEN_BENCH_PODMAN_HOST") is { Length: > 0 } podman)
    {
        // The same runs against Podman's Docker API, in this run, beside Docker's.
        var docker = Environment.GetEnvironmentVariable("DOCKER_HOST");
        Environment.SetEnvironmentVariable("DOCKER_HOST", podman);
        await BusyboxImage.EnsureAsync(await new DockerConnectionOptions().ConnectAsync());
        var onPodman = await LifecycleBenchmark.RunAsync(quick ? 5 : 15, "podman", report);
        report.Line(string.Create(CultureInfo.InvariantCulture, $"podman_ratio_runtime_vs_floor={onPodman.Runtime.Overhead / onPodman.Floor.Overhead:0.00}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"podman_ratio_runtime_vs_cli={onPodman.Runtime.Overhead / onPodman.Cli.Overhead:0.00}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"podman_ratio_total_runtime_vs_cli={onPodman.Runtime.Total / onPodman.Cli.Total:0.00}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"podman_ratio_floor_vs_cli={onPodman.Floor.Overhead / onPodman.Cli.Overhead:0.00}"));
        Environment.SetEnvironmentVariable("DOCKER_HOST", docker);
    }
}

if (what is "all" or "tls")
{
    // Against the TLS-only engine of scripts/docker-variant-engine.sh tls start, when it runs.
    var tlsHost = Environment.GetEnvironmentVariable("VOLUMEGEN_BENCH_TLS_HOST") is { Length: > 0 } host ? host : "tcp://127.0.0.1:23760";
    var certs = Environment.GetEnvironmentVariable("VOLUMEGEN_BENCH_TLS_CERTS") is { Length: > 0 } path ? path : "/tmp/volumegen-tls/certs/client";
    if (Directory.Exists(certs))
    {
        var ratio = await TlsBenchmark.RunAsync(quick ? 5 : 15, new Uri(tlsHost), certs, report);
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_tls_tcp_vs_unix_socket={ratio:0.00}"));
    }
    else
    {
        report.Line($"tls: skipped, no TLS engine (scripts/docker-variant-engine.sh tls start, or VOLUMEGEN_BENCH_TLS_HOST and VOLUMEGEN_BENCH_TLS_CERTS)");
    }
}

if (what is "all" or "pipeline")
{
    await PipelineBenchmark.RunAsync([1L << 20, quick ? 64L << 20 : 256L << 20], quick ? 2 : 5, report);
}

if (what is "all" or "lazy")
{
    await LazyCleanupBenchmark.RunAsync(quick ? 5 : 15, report);
}

if (what is "all" or "unrequested")
{
    var unrequested = await UnrequestedOutputBenchmark.RunAsync(quick ? 5 : 15, report);
    // Against the same run with only the requested output, measured just before.
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_unrequested_8mib_vs_only_requested={unrequested["junk_8mib"] / unrequested["only_requested"]:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_unrequested_sparse_1tib_vs_only_requested={unrequested["sparse_1tib"] / unrequested["only_requested"]:0.00}"));
}

if (what is "all" or "load")
{
    var throughput = await LoadBenchmark.RunAsync(quick ? 16 : 64, [1, 4, 16], report);
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_throughput_c16_volumegen_vs_cli={throughput[("volumegen", 16)] / throughput[("cli", 16)]:0.00}"));
}

if (what is "all" or "fleet")
{
    if (File.Exists("/tmp/volumegen-broker/env") || Environment.GetEnvironmentVariable("VOLUMEGEN_BROKER_URI") is { Length: > 0 })
    {
        await FleetBenchmark.RunAsync(quick ? 12 : 48, report);
    }
    else
    {
        report.Line("fleet: skipped, no broker (scripts/rabbitmq.sh start, or VOLUMEGEN_BROKER_URI)");
    }
}

if (volumeBlocks is { } blocks)
{
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_volume_blocks_vs_floor={blocks.Blocks / blocks.Floor:0.00}"));
}

if (lifecycle is { } l)
{
    if (userResolution is { } u)
    {
        // Every run since tools run as their image's user pays the warm cost; the cold one once per image and user.
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_user_resolution_warm_vs_runtime_run={u.Warm / l.Runtime.Total:0.000}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_user_resolution_cold_vs_runtime_run={u.Cold / l.Runtime.Total:0.000}"));
    }

    // Where the engine's floor itself stands against the CLI design: no design goes below it.
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_floor_vs_cli={l.Floor.Overhead / l.Cli.Overhead:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_total_floor_vs_cli={l.Floor.Total / l.Cli.Total:0.00}"));

    // Whole runs first (the tool's own container included), then the lifecycle overhead the
    // approaches differ in, as the last lines.
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_volumes_by_hand_vs_floor={l.Volumes.Overhead / l.Floor.Overhead:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_runtime_vs_floor={l.Runtime.Overhead / l.Floor.Overhead:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_generated_vs_floor={l.Generated.Overhead / l.Floor.Overhead:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_total_runtime_vs_floor={l.Runtime.Total / l.Floor.Total:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_total_generated_vs_floor={l.Generated.Total / l.Floor.Total:0.00}"));
    // Against the floor whose tool container is confined as VolumeGen's is: what VolumeGen adds to a run that isolates its tool.
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_total_sandboxed_floor_vs_floor={l.Sandboxed.Total / l.Floor.Total:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_total_runtime_vs_sandboxed_floor={l.Runtime.Total / l.Sandboxed.Total:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_total_generated_vs_sandboxed_floor={l.Generated.Total / l.Sandboxed.Total:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_total_runtime_vs_cli={l.Runtime.Total / l.Cli.Total:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_total_generated_vs_cli={l.Generated.Total / l.Cli.Total:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_runtime_vs_cli={l.Runtime.Overhead / l.Cli.Overhead:0.00}"));
    report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_generated_vs_cli={l.Generated.Overhead / l.Cli.Overhead:0.00}"));
}

await report.SaveAsync(Path.Combine("artifacts", "benchmark-results.txt"));
