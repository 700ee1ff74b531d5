using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Samples.HostedWorker;

/// <summary>
/// A rate-limited scanner stand-in (as a polite httpx or nuclei run is): one target per
/// <see cref="PaceSeconds"/>, a JSON line per target. A real deployment names its scanner's image
/// and arguments; everything else is generated.
/// </summary>
[ContainerTool(BusyboxImage.Name,
    Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "while read -r t || [ -n \"$t\" ]; do [ -n \"$t\" ] || continue; sleep \"$PACE\"; printf '{\"target\":\"%s\",\"status\":\"up\"}\\n' \"$t\"; done < /inputs/targets.txt > /outputs/results.jsonl" },
    User = "65532:65532",
    TimeoutSeconds = 300)]
public sealed partial class PacedScanTool
{
    [InputFile("targets.txt")] public string Targets { get; set; } = "";

    [EnvironmentVariable("PACE")] public int PaceSeconds { get; set; }

    [OutputFile("results.jsonl")] public string? Results { get; private set; }
}
