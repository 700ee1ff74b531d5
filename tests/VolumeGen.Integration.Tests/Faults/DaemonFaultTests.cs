using Docker.DotNet.Models;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests.Faults;

/// <summary>The Docker daemon dies under a running tool, then comes back: clear errors, no hang, nothing left.</summary>
public sealed class DaemonFaultTests : IAsyncLifetime
{
    private readonly PrivateDaemon _daemon = new();

    public async Task InitializeAsync()
    {
        await _daemon.StartAsync();
        await BusyboxImage.EnsureAsync(await _daemon.Options.ConnectAsync());
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task A_daemon_killed_mid_run_fails_the_run_promptly_and_after_a_restart_nothing_is_left()
    {
        var tenant = DockerEngine.NewTenant("fault");
        var options = _daemon.Options;
        var tool = new ScriptTool { Script = "sleep 600" };
        var run = tool.RunAsync(new ToolRunContext(tenant, "wf-1") { VolumeOptions = options });
        await WaitForRunningToolAsync(options, tenant);

        await _daemon.KillAsync();
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.Same(run, finished); // no hang
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        // The run's own error survives. Cleanup could not reach the daemon either: that is attached
        // to it, naming the tool container and both volumes it leaves.
        Assert.IsNotType<VolumeCleanupException>(error);
        var attached = VolumeCleanup.GetFailures(error);
        var leaks = attached.OfType<VolumeCleanupException>().ToList();
        Assert.Equal(2, leaks.Count);
        Assert.StartsWith("Tool container '", Assert.Single(attached.Except(leaks)).Message, StringComparison.Ordinal);
        Assert.All(leaks, leaked => Assert.StartsWith($"tenant-{tenant}-run-wf-1-", leaked.VolumeName));

        await _daemon.StartAsync();
        var sweep = await new OrphanVolumeSweeper(options) { MinimumCutoff = TimeSpan.Zero }.SweepAsync(TimeSpan.Zero, tenant);

        Assert.True(sweep.Succeeded, string.Join("; ", sweep.Failures));
        Assert.All(leaks, leaked => Assert.Contains(leaked.VolumeName, sweep.RemovedVolumes));
        await AssertNothingLeftAsync(options, tenant);
    }

    [Fact]
    public async Task A_run_against_a_stopped_daemon_fails_at_once_with_a_clear_error_and_creates_nothing()
    {
        var tenant = DockerEngine.NewTenant("fault");
        await _daemon.KillAsync();
        var options = new IsolatedVolumeOptions { Endpoint = new Uri(_daemon.Endpoint + "-gone") };

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() =>
            new ScriptTool { Script = "true" }.RunAsync(new ToolRunContext(tenant, "wf-1") { VolumeOptions = options }));

        Assert.Equal((options.Endpoint!.ToString(), $"there is no socket at {options.Endpoint.AbsolutePath}"), (error.Endpoint, error.Cause));
        await _daemon.StartAsync();
        await AssertNothingLeftAsync(_daemon.Options, tenant);
    }

    [Fact]
    public async Task A_pruned_helper_image_is_imported_again_and_a_failed_engine_detection_is_not_kept()
    {
        var tenant = DockerEngine.NewTenant("fault");
        var options = _daemon.Options;
        var client = await options.ConnectAsync();
        var context = new ToolRunContext(tenant, "wf-1") { VolumeOptions = options };
        await new ScriptTool { Script = "echo one > /outputs/result.txt" }.RunAsync(context);

        // An operator's `docker image prune -a` between two runs of the same worker process.
        await client.Images.DeleteImageAsync(IsolatedVolumeOptions.DefaultHelperImage, new ImageDeleteParameters { Force = true });
        var again = new ScriptTool { Script = "echo two > /outputs/result.txt" };
        await again.RunAsync(context);

        Assert.Equal("two\n", again.Result);
        await AssertNothingLeftAsync(options, tenant);

        // The daemon is down exactly when a new client first asks what engine it is: not remembered.
        using var fresh = new global::Docker.DotNet.DockerClientBuilder().WithEndpoint(_daemon.Endpoint).Build();
        await _daemon.KillAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => VolumeGen.Engine.EngineProfile.ForAsync(VolumeGen.Engine.DockerApi.For(fresh), CancellationToken.None));
        await _daemon.StartAsync();
        Assert.Equal("Docker", (await VolumeGen.Engine.EngineProfile.ForAsync(VolumeGen.Engine.DockerApi.For(fresh), CancellationToken.None)).Name);
    }

    private static async Task WaitForRunningToolAsync(IsolatedVolumeOptions options, string tenant)
    {
        var sweeper = new OrphanVolumeSweeper(options) { MinimumCutoff = TimeSpan.Zero };
        for (var i = 0; i < 200; i++)
        {
            if ((await sweeper.ListContainersAsync(tenant)).Any(c => c.Role == "tool" && c.State == "running"))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the tool never started");
    }

    private static async Task AssertNothingLeftAsync(IsolatedVolumeOptions options, string tenant)
    {
        var sweeper = new OrphanVolumeSweeper(options) { MinimumCutoff = TimeSpan.Zero };
        Assert.Empty(await sweeper.ListVolumesAsync(tenant));
        Assert.Empty(await sweeper.ListContainersAsync(tenant));
    }
}
