using System.Globalization;
using System.Xml.Linq;

namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// An nmap TCP connect scan (no privileges needed) of the targets in targets.txt on the given ports,
/// as uid 65532 with network none, XML report out. The command line is nmap's own, with
/// placeholders: the input and output files become their paths, <see cref="Ports"/> its value
/// (checked, never through a shell). With no network the honest target is the tool's own loopback,
/// where the image's entrypoint script starts a listener on <see cref="ListenPort"/> so a port is open.
/// </summary>
[ContainerTool(NmapImage.Name,
    Entrypoint = new[] { NmapImage.WithListener, "nmap" },
    Command = new[] { "-n", "-Pn", "-sT", "--max-retries", "1", "-p", "{Ports}", "-iL", "{Targets}", "-oX", "{ResultsXml}" },
    User = "65532:65532",
    TimeoutSeconds = 120)]
public sealed partial class NmapScan
{
    /// <summary>Hosts to scan, one per line.</summary>
    [InputFile("targets.txt")] public string Targets { get; set; } = "127.0.0.1";

    /// <summary>The ports option, as nmap takes it: "22,80,8000-8100" (a value starting with '-' is refused).</summary>
    public string Ports { get; set; } = "1-1024";

    /// <summary>A port the image's entrypoint listens on inside the tool's network namespace (null: no listener).</summary>
    [EnvironmentVariable("LISTEN_PORT")] public int? ListenPort { get; set; }

    /// <summary>nmap's XML report.</summary>
    [OutputFile("results.xml")] public string? ResultsXml { get; private set; }

    /// <summary>The report, parsed.</summary>
    public NmapReport Report => NmapReport.Parse(ResultsXml ?? throw new InvalidOperationException("Run the scan first."));
}

/// <summary>The hosts and ports of an nmap XML report.</summary>
public sealed record NmapReport(IReadOnlyList<NmapHost> Hosts)
{
    /// <summary>Reads nmap's XML output (-oX).</summary>
    public static NmapReport Parse(string xml)
    {
        var document = XDocument.Parse(xml);
        return new NmapReport(document.Root!.Elements("host").Select(host => new NmapHost(
            host.Elements("address").First().Attribute("addr")!.Value,
            host.Element("status")?.Attribute("state")?.Value ?? "unknown",
            host.Element("ports")?.Elements("port").Select(port => new NmapPort(
                port.Attribute("protocol")!.Value,
                int.Parse(port.Attribute("portid")!.Value, CultureInfo.InvariantCulture),
                port.Element("state")!.Attribute("state")!.Value,
                port.Element("service")?.Attribute("name")?.Value)).ToList() ?? [])).ToList());
    }
}

/// <summary>One scanned host.</summary>
public sealed record NmapHost(string Address, string Status, IReadOnlyList<NmapPort> Ports);

/// <summary>One port of a host.</summary>
public sealed record NmapPort(string Protocol, int Number, string State, string? Service);
