using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Benchmarks;

/// <summary>
/// The run every benchmark repeats: two input files (a tenant's domain list and resolvers), a tool
/// that de-duplicates the domains into an output file as uid 65532, the output read back, both
/// volumes removed. Three ways: the docker CLI, VolumeGen's runtime by hand, a generated wrapper.
/// </summary>
internal static class Scenario
{
    public const string ToolScript = "sort -u /inputs/domains.txt > /outputs/sorted.txt";

    private static readonly TextOutputFile Sorted = new("sorted.txt");

    /// <summary>The tool declared once, as generated code declares it: each run brings only its tenant, run and inputs.</summary>
    private static readonly ToolDefinition SortDefinition = new(new ToolRunSpec(BusyboxImage.Name)
    {
        Entrypoint = ["/bin/sh", "-c"],
        Command = [ToolScript],
        User = "65532:65532",
    })
    {
        Outputs = [Sorted],
    };

    public static Dictionary<string, string> Inputs(string tenant, int run) => new()
    {
        ["domains.txt"] = string.Join('\n', Enumerable.Range(0, 100).Select(i => $"host{i % 50}.{tenant}-r{run}.example")) + "\n",
        ["resolvers.txt"] = "1.1.1.1\n9.9.9.9\n",
    };

    /// <summary>What the tool must return for these inputs: proof that no other tenant's data came back.</summary>
    public static string Expected(IReadOnlyDictionary<string, string> inputs) =>
        string.Join('\n', inputs["domains.txt"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Order(StringComparer.Ordinal)) + "\n";

    /// <summary>The run with the runtime's building blocks by hand: two volumes, initialized each on its own, and the runner.</summary>
    public static async Task<string> VolumesByHandAsync(string tenant, string run, IReadOnlyDictionary<string, string> inputs)
    {
        await using var input = new IsolatedContainerVolume(tenant, run);
        await using var output = new IsolatedContainerVolume(tenant, run);
        await Task.WhenAll(input.InitializeAsync(inputs), output.InitializeAsync(new Dictionary<string, string>()));
        var result = await new ContainerToolRunner().RunAsync(new ToolRunSpec(BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = [ToolScript],
            User = "65532:65532",
            Mounts = [input.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", readOnly: false)],
            TenantId = tenant,
            RunId = run,
        });
        ContainerToolFailedException.ThrowIfFailed(BusyboxImage.Name, result);
        return (await output.ReadFilesAsync(["sorted.txt"]))["sorted.txt"];
    }

    /// <summary>The same run through the runtime's whole-run API, with <paramref name="options"/> (lazy cleanup, for one).</summary>
    public static async Task<string> RunToolAsync(ContainerToolRunner runner, string tenant, string run, IReadOnlyDictionary<string, string> inputs, IsolatedVolumeOptions? options)
    {
        var outcome = await runner.RunToolAsync(new ToolRunRequest(SortDefinition, tenant, run)
        {
            Inputs = inputs.Select(i => VolumeFile.FromText(i.Key, i.Value)).ToList(),
            VolumeOptions = options,
        });
        return outcome.Get(Sorted)!;
    }

    public static async Task<string> GeneratedAsync(string tenant, string run, IReadOnlyDictionary<string, string> inputs)
    {
        var tool = new SortTool { Domains = inputs["domains.txt"], Resolvers = inputs["resolvers.txt"] };
        await tool.RunAsync(new ToolRunContext(tenant, run));
        return tool.Sorted!;
    }
}

/// <summary>The same tool as a generated wrapper.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "-c" }, Command = new[] { Scenario.ToolScript }, User = "65532:65532")]
internal sealed partial class SortTool
{
    [InputFile("domains.txt")] public string Domains { get; set; } = "";
    [InputFile("resolvers.txt")] public string? Resolvers { get; set; }
    [OutputFile("sorted.txt")] public string? Sorted { get; private set; }
}
