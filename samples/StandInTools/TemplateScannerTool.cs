namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// A nuclei-style scanner: a YAML config, a directory tree of templates and a target list in, one
/// JSON report out, run as distroless "nonroot" (uid 65532). The busybox stand-in reports one
/// finding per target and template, at the config's minimum severity.
/// </summary>
[ContainerTool(BusyboxImage.Name,
    Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[]
    {
        """
        severity=$(sed -n 's/^severity: *//p' /inputs/config.yaml)
        first=1
        printf '[' > /outputs/report.json
        for target in $(cat /inputs/targets.txt); do
          for template in $(cd /inputs/templates && find . -name '*.yaml' | sort); do
            [ $first = 1 ] || printf ',' >> /outputs/report.json
            first=0
            id=$(sed -n 's/^id: *//p' "/inputs/templates/$template")
            printf '{"target":"%s","template":"%s","severity":"%s"}' "$target" "$id" "$severity" >> /outputs/report.json
          done
        done
        printf ']' >> /outputs/report.json
        echo "scanned as uid $(id -u)"
        """,
    },
    User = "65532:65532",
    TimeoutSeconds = 120)]
public sealed partial class TemplateScannerTool
{
    [InputFile("config.yaml")] public string Config { get; set; } = "";
    [InputFile("templates/http/missing-headers.yaml")] public string? HttpTemplate { get; set; }
    [InputFile("templates/dns/subdomain-takeover.yaml")] public string? DnsTemplate { get; set; }
    [InputFile("targets.txt")] public string Targets { get; set; } = "";
    [OutputFile("report.json")] public string? Report { get; private set; }
}
