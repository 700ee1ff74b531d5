using System.Diagnostics;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Samples.DnsResolver;

/// <summary>
/// One dnsx-style run for one tenant: domains and resolvers go in through a read-only volume, JSON
/// lines come back through a separate output volume, and both volumes are removed on every path.
/// The tool is a busybox stand-in that "resolves" every domain to 127.0.0.1.
/// </summary>
internal sealed class DnsResolverRun(string tenantId, string runId, Action<string> report)
{
    // The stand-in tool's program; a real deployment would run the dnsx image with its own arguments.
    private const string ToolScript =
        "awk -v r=\"$(head -n 1 /inputs/resolvers.txt)\" 'NF { printf \"{\\\"host\\\":\\\"%s\\\",\\\"resolver\\\":\\\"%s\\\",\\\"a\\\":[\\\"127.0.0.1\\\"]}\\n\", $1, r }' " +
        "/inputs/domains.txt > /outputs/results.jsonl && echo \"resolved $(wc -l < /outputs/results.jsonl) host(s)\"";

    public async Task<string[]> RunAsync(IReadOnlyList<string> domains, IReadOnlyList<string> resolvers, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var inputs = new IsolatedContainerVolume(tenantId, runId);
        await using var outputs = new IsolatedContainerVolume(tenantId, runId);

        await inputs.InitializeAsync(new Dictionary<string, string>
        {
            ["domains.txt"] = string.Join('\n', domains) + "\n",
            ["resolvers.txt"] = string.Join('\n', resolvers) + "\n",
        }, ct);
        report($"input volume {inputs.Name}: created, 2 files written ({Lap(clock)})");

        await outputs.InitializeAsync(new Dictionary<string, string>(), ct);
        report($"output volume {outputs.Name}: created empty, owned by uid 65532 ({Lap(clock)})");

        var result = await new ContainerToolRunner().RunAsync(new ToolRunSpec(BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = [ToolScript],
            User = "65532:65532",
            Mounts = [inputs.GetVolumeConfig("/inputs"), outputs.GetVolumeConfig("/outputs", readOnly: false)],
            Timeout = TimeSpan.FromMinutes(1),
            TenantId = tenantId,
            RunId = runId,
        }, ct);
        report($"tool {BusyboxImage.Name} as uid 65532, network none: exit {result.ExitCode}, stdout \"{result.Stdout.Trim()}\" ({Lap(clock)})");
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The resolver failed with exit code {result.ExitCode}: {result.StderrTail()}");
        }

        var lines = (await outputs.ReadFilesAsync(["results.jsonl"], ct))["results.jsonl"]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        report($"read results.jsonl: {lines.Length} line(s) ({Lap(clock)})");

        await Task.WhenAll(inputs.CleanupAsync(ct), outputs.CleanupAsync(ct));
        report($"both volumes removed ({Lap(clock)})");
        return lines;
    }

    private static string Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return $"{elapsed:0} ms";
    }
}
