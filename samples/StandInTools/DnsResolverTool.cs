namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// A dnsx-style resolver: domains and resolvers in, JSON lines out, as distroless "nonroot".
/// The image is a busybox stand-in that "resolves" every domain to 127.0.0.1; a real deployment
/// names the dnsx image and its arguments instead. Everything else is generated.
/// </summary>
[ContainerTool(BusyboxImage.Name,
    Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[]
    {
        """
        awk -v r="$(head -n 1 /inputs/resolvers.txt)" 'NF { printf "{\"host\":\"%s\",\"resolver\":\"%s\",\"a\":[\"127.0.0.1\"]}\n", $1, r }' \
          /inputs/domains.txt > /outputs/results.jsonl && echo "resolved $(wc -l < /outputs/results.jsonl) host(s)"
        """,
    },
    User = "65532:65532",
    TimeoutSeconds = 60)]
public sealed partial class DnsResolverTool
{
    [InputFile("domains.txt")] public string Domains { get; set; } = "";
    [InputFile("resolvers.txt")] public string? Resolvers { get; set; }
    [OutputFile("results.jsonl")] public string? Results { get; private set; }
}
