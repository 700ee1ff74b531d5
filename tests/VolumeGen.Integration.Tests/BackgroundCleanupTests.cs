using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>Lazy cleanup: runs return before their volumes are removed, and nothing is lost.</summary>
public class BackgroundCleanupTests
{
    private static ToolRunRequest Request(string tenant, string run, string script, BackgroundVolumeCleanup cleanup) =>
        ScriptRequests.Script(tenant, run, script).WithOutputs(new TextOutputFile("out.txt")) with
        {
            Inputs = [VolumeFile.FromText("in.txt", run)],
            VolumeOptions = new IsolatedVolumeOptions { BackgroundCleanup = cleanup },
        };

    [Fact]
    public async Task Runs_return_with_their_outputs_and_a_flush_leaves_nothing_even_through_a_full_queue()
    {
        var tenant = DockerEngine.NewTenant("bg");
        await using var cleanup = new BackgroundVolumeCleanup(capacity: 1, workers: 1);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Tools.Runner.RunToolAsync(Request(tenant, $"r{i}", "cat /inputs/in.txt > /outputs/out.txt", cleanup))));

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"r{i}"), outcomes.Select(o => o.Get(new TextOutputFile("out.txt"))));
        await cleanup.FlushAsync();
        Assert.Equal(0, cleanup.Pending);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_failed_run_throws_at_once_and_its_volumes_are_removed_in_the_background()
    {
        var tenant = DockerEngine.NewTenant("bg");
        await using var cleanup = new BackgroundVolumeCleanup();

        await Assert.ThrowsAsync<ContainerToolFailedException>(() => Tools.Runner.RunToolAsync(Request(tenant, "r1", "exit 3", cleanup)));
        await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => Tools.Runner.RunToolAsync(Request(tenant, "r2", "true", cleanup)));

        await cleanup.FlushAsync();
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Disposing_drains_the_queue_and_a_later_run_removes_its_volumes_itself()
    {
        var tenant = DockerEngine.NewTenant("bg");
        var cleanup = new BackgroundVolumeCleanup();
        await Tools.Runner.RunToolAsync(Request(tenant, "r1", "cat /inputs/in.txt > /outputs/out.txt", cleanup));

        await cleanup.DisposeAsync();
        await DockerEngine.AssertNoLeftoversAsync(tenant);

        Assert.Equal("r2", (await Tools.Runner.RunToolAsync(Request(tenant, "r2", "cat /inputs/in.txt > /outputs/out.txt", cleanup))).Get(new TextOutputFile("out.txt")));
        await DockerEngine.AssertNoLeftoversAsync(tenant); // removed before the run returned
        Assert.Equal(0, cleanup.Pending);
    }
}
