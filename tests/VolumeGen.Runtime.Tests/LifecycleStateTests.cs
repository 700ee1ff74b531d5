namespace VolumeGen.Runtime.Tests;

/// <summary>State checks that fail before Docker is ever contacted.</summary>
public class LifecycleStateTests
{
    // An endpoint that cannot answer: any Docker call would fail with a connection error instead.
    private static readonly IsolatedVolumeOptions Unreachable = new() { Endpoint = new Uri("unix:///nonexistent/docker.sock") };

    [Fact]
    public void GetVolumeConfig_before_initialize_throws()
    {
        var volume = new IsolatedContainerVolume("acme", "run1", Unreachable);
        var error = Assert.Throws<InvalidOperationException>(() => volume.GetVolumeConfig("/inputs"));
        Assert.Contains("not initialized", error.Message);
    }

    [Fact]
    public async Task Unsafe_file_names_fail_before_docker_is_contacted()
    {
        var volume = new IsolatedContainerVolume("acme", "run1", Unreachable);
        var error = await Assert.ThrowsAsync<VolumeValidationException>(() =>
            volume.InitializeAsync(new Dictionary<string, string> { ["ok.txt"] = "", ["../escape.txt"] = "x" }));
        Assert.Equal("../escape.txt", error.Value);
        Assert.False(volume.IsInitialized);
    }

    [Fact]
    public async Task A_runs_two_volumes_are_filled_together_only_when_they_are_two_of_one_owner_and_options()
    {
        var input = new IsolatedContainerVolume("acme", "run1", new ToolUser(1000, 1000), Unreachable);
        var otherOwner = new IsolatedContainerVolume("acme", "run1", new ToolUser(2000, 2000), Unreachable);
        var otherOptions = new IsolatedContainerVolume("acme", "run1", new ToolUser(1000, 1000), new IsolatedVolumeOptions { Endpoint = Unreachable.Endpoint });

        foreach (var outputs in new[] { otherOwner, otherOptions, input })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => input.Docker.InitializeWithOutputsAsync([], outputs.Docker, default));
        }

        Assert.False(input.IsInitialized);
    }

    [Fact]
    public async Task A_name_used_as_file_and_directory_is_rejected()
    {
        var volume = new IsolatedContainerVolume("acme", "run1", Unreachable);
        await Assert.ThrowsAsync<VolumeValidationException>(() =>
            volume.InitializeAsync([VolumeFile.FromText("a", "x"), VolumeFile.FromText("a/b", "y")]));
    }

    [Fact]
    public async Task Cleanup_without_initialize_is_a_no_op_and_idempotent()
    {
        var volume = new IsolatedContainerVolume("acme", "run1", Unreachable);
        await volume.CleanupAsync();
        await volume.DisposeAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => volume.InitializeAsync(new Dictionary<string, string>()));
    }

    [Fact]
    public async Task Unreachable_daemon_fails_initialize_with_nothing_left_to_clean()
    {
        var volume = new IsolatedContainerVolume("acme", "run1", Unreachable);
        await Assert.ThrowsAnyAsync<Exception>(() => volume.InitializeAsync(new Dictionary<string, string> { ["a.txt"] = "x" }));
        Assert.False(volume.IsInitialized);
        await volume.CleanupAsync();
    }

    [Fact]
    public async Task Runner_rejects_host_paths_as_mount_sources()
    {
        var runner = new ContainerToolRunner(Unreachable);
        var spec = new ToolRunSpec("tool:1") { Mounts = [new VolumeMount("/tmp/worker-temp", "/inputs", true)] };
        var error = await Assert.ThrowsAsync<VolumeValidationException>(() => runner.RunAsync(spec));
        Assert.Contains("named volume", error.Message);
    }
}
