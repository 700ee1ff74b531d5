using System.Text.RegularExpressions;

namespace VolumeGen.Runtime.Tests;

public class IdentifierRulesTests
{
    [Theory]
    [InlineData("acme", "wf-abc123")]
    [InlineData("Tenant_1.eu", "run.2")]
    public void Valid_ids_make_a_docker_volume_name(string tenant, string run)
    {
        var volume = new IsolatedContainerVolume(tenant, run);

        var match = Regex.Match(volume.Name, $"^tenant-{Regex.Escape(tenant)}-run-{Regex.Escape(run)}-(\\d+)-([0-9a-f]{{10}})$");
        Assert.True(match.Success, volume.Name);
        var ms = long.Parse(match.Groups[1].Value);
        Assert.InRange(ms, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Matches("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$", volume.Name);
    }

    [Theory]
    [InlineData("", "run", "tenantId")]
    [InlineData("acme", "", "runId")]
    [InlineData("ac me", "run", "tenantId")]
    [InlineData("acme/../x", "run", "tenantId")]
    [InlineData("acme", "run\n1", "runId")]
    [InlineData("acme", "rün", "runId")]
    [InlineData("acme", "run:1", "runId")]
    public void Invalid_ids_are_rejected_not_rewritten(string tenant, string run, string rejected)
    {
        var error = Assert.Throws<VolumeValidationException>(() => new IsolatedContainerVolume(tenant, run));
        Assert.Equal(rejected, error.ParamName);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Overlong_ids_are_rejected()
    {
        Assert.Throws<VolumeValidationException>(() => new IsolatedContainerVolume(new string('t', 65), "r"));
        _ = new IsolatedContainerVolume(new string('t', 64), "r");
    }

    [Fact]
    public void Same_tenant_and_run_in_one_millisecond_get_distinct_names()
    {
        var names = Enumerable.Range(0, 1000).Select(_ => new IsolatedContainerVolume("acme", "wf-1").Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        // The test is only meaningful if some of them share a millisecond.
        Assert.Contains(names.GroupBy(n => n.Split('-')[^2]), g => g.Count() > 1);
    }
}

/// <summary>
/// One rule for tenant and run IDs on every path that takes one, checked before anything is asked
/// of the engine (the endpoint here answers nobody: a check that came too late would fail differently).
/// </summary>
public class IdentifierPathTests
{
    private static readonly DockerConnectionOptions Nowhere = new() { Endpoint = new Uri("unix:///nonexistent/volumegen.sock") };

    public static TheoryData<string, string, string> BadIds() => new()
    {
        { "acme\u001b[31m\nforged", "run", "tenantId" },
        { "acme", new string('r', 5_000), "runId" },
        { "acme", "run\u0007", "runId" },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_run_without_folders_checks_its_ids(string tenant, string run, string rejected)
    {
        var request = new ToolRunRequest(new ToolDefinition(new ToolRunSpec("img")), tenant, run);

        var error = await Assert.ThrowsAsync<VolumeValidationException>(() => new ContainerToolRunner(Nowhere).RunToolAsync(request));

        Assert.Equal(rejected, error.ParamName);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_hand_written_run_and_a_user_resolution_check_the_ids_they_label_with(string tenant, string run, string rejected)
    {
        var spec = new ToolRunSpec("img") { TenantId = tenant, RunId = run };
        var runner = new ContainerToolRunner(Nowhere);

        Assert.Equal(rejected, (await Assert.ThrowsAsync<VolumeValidationException>(() => runner.RunAsync(spec))).ParamName);
        Assert.Equal(rejected, (await Assert.ThrowsAsync<VolumeValidationException>(() => runner.ResolveUserAsync(spec))).ParamName);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void Contexts_and_pipelines_check_their_ids_where_they_are_made(string tenant, string run, string rejected)
    {
        Assert.Equal(rejected, Assert.Throws<VolumeValidationException>(() => new ToolRunContext(tenant, run)).ParamName);
        Assert.Equal(rejected, Assert.Throws<VolumeValidationException>(() => new ToolPipeline(new ContainerToolRunner(Nowhere), tenant, run)).ParamName);
        var valid = new ToolRunContext("acme", "run");
        Assert.Throws<VolumeValidationException>(() => valid with { TenantId = tenant, RunId = run });
    }

    [Fact]
    public async Task The_sweepers_tenant_filter_is_checked()
    {
        var sweeper = new OrphanVolumeSweeper(Nowhere);
        const string bad = "acme\nforged";

        await Assert.ThrowsAsync<VolumeValidationException>(() => sweeper.ListVolumesAsync(bad));
        await Assert.ThrowsAsync<VolumeValidationException>(() => sweeper.ListContainersAsync(bad));
        await Assert.ThrowsAsync<VolumeValidationException>(() => sweeper.SweepAsync(TimeSpan.FromDays(1), bad));
    }
}
