using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>A real security tool through a generated wrapper: nmap, built locally, as nonroot with no network.</summary>
public class NmapTests
{
    [Fact]
    public async Task Nmap_scans_its_own_loopback_and_the_report_parses_into_hosts_and_ports()
    {
        var tenant = DockerEngine.NewTenant("nmap");
        await NmapImage.EnsureAsync(await DockerEngine.ClientAsync());
        var scan = new NmapScan { Targets = "127.0.0.1\n", Ports = "8080,8081,9", ListenPort = 8080 };

        var run = await scan.RunAsync(new ToolRunContext(tenant, "scan-1"));

        Assert.Equal(0, run.ExitCode);
        var host = Assert.Single(scan.Report.Hosts);
        Assert.Equal(("127.0.0.1", "up"), (host.Address, host.Status));
        Assert.Equal(
            [(8080, "open"), (8081, "closed"), (9, "closed")],
            host.Ports.OrderByDescending(p => p.Number == 8080).ThenByDescending(p => p.Number).Select(p => (p.Number, p.State)));
        Assert.All(host.Ports, p => Assert.Equal("tcp", p.Protocol));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Theory]
    [InlineData("--script=http-title")]
    [InlineData("-iL/etc/passwd")]
    public async Task A_value_that_would_add_an_option_is_refused_before_anything_runs(string ports)
    {
        var tenant = DockerEngine.NewTenant("nmap");
        await NmapImage.EnsureAsync(await DockerEngine.ClientAsync());
        var scan = new NmapScan { Targets = "127.0.0.1\n", Ports = ports };

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => scan.RunAsync(new ToolRunContext(tenant, "scan-2")));

        Assert.Equal("Ports", refused.ParamName);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public void The_report_parser_reads_nmap_xml()
    {
        var report = NmapReport.Parse("""
            <?xml version="1.0"?>
            <nmaprun scanner="nmap">
              <host><status state="up"/><address addr="10.0.0.5" addrtype="ipv4"/>
                <ports>
                  <port protocol="tcp" portid="22"><state state="open"/><service name="ssh"/></port>
                  <port protocol="tcp" portid="443"><state state="filtered"/></port>
                </ports>
              </host>
              <host><status state="down"/><address addr="10.0.0.6" addrtype="ipv4"/></host>
            </nmaprun>
            """);

        Assert.Equal(2, report.Hosts.Count);
        Assert.Equal([new NmapPort("tcp", 22, "open", "ssh"), new NmapPort("tcp", 443, "filtered", null)], report.Hosts[0].Ports);
        Assert.Equal(("10.0.0.6", "down"), (report.Hosts[1].Address, report.Hosts[1].Status));
        Assert.Empty(report.Hosts[1].Ports);
    }
}
