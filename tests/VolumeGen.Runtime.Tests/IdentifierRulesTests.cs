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
