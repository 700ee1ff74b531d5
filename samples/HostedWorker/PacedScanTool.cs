using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Samples.HostedWorker;

/// <summary>
/// A rate-limited scanner stand-in (as a polite httpx or nuclei run is): one target per
/// <see cref="PaceSeconds"/>, a JSON line per target; a target that is not a host name fails the run
/// (exit 2, as a scanner refuses its input), every time. A real deployment names its scanner's image
/// and arguments; everything else is generated.
/// </summary>
[ContainerTool(BusyboxImage.Name,
    Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "while read -r t || [ -n \"$t\" ]; do [ -n \"$t\" ] || continue; case \"$t\" in *[!A-Za-z0-9.-]*) echo \"not a host name: $t\" >&2; exit 2;; esac; sleep \"$PACE\"; printf '{\"target\":\"%s\",\"status\":\"up\"}\\n' \"$t\"; done < /inputs/targets.txt > /outputs/results.jsonl" },
    User = "65532:65532",
    TimeoutSeconds = 300)]
public sealed partial class PacedScanTool
{
    [InputFile("targets.txt")] public string Targets { get; set; } = "";

    [EnvironmentVariable("PACE")] public int PaceSeconds { get; set; }

    [OutputFile("results.jsonl")] public string? Results { get; private set; }
}
