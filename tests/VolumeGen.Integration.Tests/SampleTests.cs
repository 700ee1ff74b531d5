using System.Text.Json;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>The samples' wrappers against the real engine: the results they promise, and nothing left behind.</summary>
public class SampleTests
{
    [Fact]
    public async Task The_template_scanner_reads_its_config_and_template_tree_as_nonroot()
    {
        var tenant = DockerEngine.NewTenant();
        var scanner = new TemplateScannerTool
        {
            Config = "severity: high\n",
            HttpTemplate = "id: http-check\n",
            DnsTemplate = "id: dns-check\n",
            Targets = "t1\nt2\n",
        };

        var run = await scanner.RunAsync(new ToolRunContext(tenant, "scan-1"));

        Assert.Equal("scanned as uid 65532\n", run.Stdout);
        var findings = JsonDocument.Parse(scanner.Report!).RootElement.EnumerateArray()
            .Select(f => $"{f.GetProperty("target").GetString()}/{f.GetProperty("template").GetString()}/{f.GetProperty("severity").GetString()}")
            .Order().ToList();
        Assert.Equal(["t1/dns-check/high", "t1/http-check/high", "t2/dns-check/high", "t2/http-check/high"], findings);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task The_authenticated_export_reads_credentials_read_only_and_cleans_both_volumes()
    {
        var tenant = DockerEngine.NewTenant();

        var export = await AuthenticatedExport.RunAsync(tenant, "exp-1", "token-1");

        Assert.Matches("^export signed by [0-9a-f]{12}\n$", export);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task The_dns_resolver_emits_one_json_line_per_domain()
    {
        var tenant = DockerEngine.NewTenant();
        var resolver = new DnsResolverTool { Domains = "x.example\ny.example", Resolvers = "9.9.9.9" };

        await resolver.RunAsync(new ToolRunContext(tenant, "dns-1"));

        var hosts = resolver.Results!.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (e.GetProperty("host").GetString(), e.GetProperty("resolver").GetString()));
        Assert.Equal([("x.example", "9.9.9.9"), ("y.example", "9.9.9.9")], hosts);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
