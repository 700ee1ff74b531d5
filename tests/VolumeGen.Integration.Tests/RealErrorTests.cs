using System.Diagnostics;
using System.Formats.Tar;
using Docker.DotNet.Models;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// A failed run reports why it failed, a read reports what it saw (never "file not found" for a
/// vanished helper), and a reused wrapper never shows a mix of two runs' outputs.
/// </summary>
public class RealErrorTests
{
    [Fact]
    public async Task A_failed_run_leaves_no_output_of_an_earlier_run_and_none_of_its_own()
    {
        var tenant = DockerEngine.NewTenant("mix");
        var tool = new TwoOutputsTool { Script = "echo one > /outputs/a.txt; echo one > /outputs/b.bin" };
        await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));
        Assert.Equal("one\n", tool.A);
        Assert.Equal("one\n"u8.ToArray(), tool.B);

        tool.Script = "echo two > /outputs/a.txt"; // b.bin is missing this time: a.txt was read before that is found
        var error = await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => tool.RunAsync(new ToolRunContext(tenant, "wf-2")));

        Assert.Equal("b.bin", error.FileName);
        Assert.Null(tool.A);
        Assert.Null(tool.B);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_cleanup_failure_after_a_failed_tool_is_attached_to_the_tools_error_not_put_in_its_place()
    {
        var tenant = DockerEngine.NewTenant("real");
        var client = await DockerEngine.ClientAsync();
        using var volumes = new InitializedVolumes(tenant);
        // The tool waits for a file that the foreign container below puts into its input volume.
        // (A tool with the default timeout: how long the test takes to let it go depends on the machine.)
        var tool = new TwoOutputsTool { Script = "while [ ! -f /inputs/go ]; do sleep 0.05; done; echo failing >&2; exit 3" };
        var options = new IsolatedVolumeOptions { CleanupAttempts = 2, CleanupRetryDelay = TimeSpan.FromMilliseconds(50) };
        var run = tool.RunAsync(new ToolRunContext(tenant, "wf-1") { VolumeOptions = options });

        // Someone else's container holds the input volume, so VolumeGen may not remove it, then lets the tool go on.
        var input = await volumes.Input.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var foreign = await LetToolGoAsync(input);
        try
        {
            var error = await Assert.ThrowsAsync<ContainerToolFailedException>(() => run);

            Assert.Equal(3, error.ExitCode);
            Assert.Equal("failing\n", error.StderrTail);
            var leak = Assert.IsType<VolumeCleanupException>(Assert.Single(VolumeCleanup.GetFailures(error)));
            Assert.Equal(input, leak.VolumeName);
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(foreign, new ContainerRemoveParameters { Force = true });
            await client.Volumes.RemoveAsync(input);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_read_helper_pruned_while_the_tool_runs_is_replaced_and_the_output_is_read()
    {
        var tenant = DockerEngine.NewTenant("prune");
        var client = await DockerEngine.ClientAsync();
        using var volumes = new InitializedVolumes(tenant);
        var tool = new TwoOutputsTool { Script = "while [ ! -f /inputs/go ]; do sleep 0.05; done; echo done > /outputs/a.txt; echo b > /outputs/b.bin" };
        var run = tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        var input = await volumes.Input.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var output = await volumes.Output.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // What `docker container prune` does to the output's read helper, prepared and waiting (never started).
        List<string> helpers = [];
        await CrashedWorker.WaitUntilAsync(async () =>
        {
            helpers = (await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }))
                .Where(c => c.Labels is { } labels && labels.TryGetValue("io.volumegen.volume", out var volume) && volume == output).Select(c => c.ID).ToList();
            return helpers.Count > 0;
        });
        var prepared = Assert.Single(helpers);
        await client.Containers.RemoveContainerAsync(prepared, new ContainerRemoveParameters { Force = true });

        var foreign = await LetToolGoAsync(input);
        await client.Containers.RemoveContainerAsync(foreign, new ContainerRemoveParameters { Force = true });
        await run;

        Assert.Equal("done\n", tool.A);
        Assert.Equal("b\n"u8.ToArray(), tool.B);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    /// <summary>Writes /go into the input volume through a container VolumeGen does not know; returns its ID.</summary>
    private static async Task<string> LetToolGoAsync(string inputVolume)
    {
        var client = await DockerEngine.ClientAsync();
        var foreign = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = BusyboxImage.Name,
            Cmd = ["true"],
            HostConfig = new HostConfig { NetworkMode = "none", Mounts = [new Mount { Type = "volume", Source = inputVolume, Target = "/data" }] },
        });
        await client.Containers.ExtractArchiveToContainerAsync(foreign.ID, new CopyToContainerParameters { Path = "/data" }, Tar("go"));
        return foreign.ID;
    }

    /// <summary>The names of a tenant's input volume (initialized with files) and output volume (empty), as they become ready.</summary>
    private sealed class InitializedVolumes : IDisposable
    {
        private readonly ActivityListener _listener;

        public InitializedVolumes(string tenant)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == VolumeGenTelemetry.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.OperationName == "volume.initialize" && activity.GetTagItem("volumegen.volume") is string name &&
                        name.StartsWith($"tenant-{tenant}-", StringComparison.Ordinal))
                    {
                        (activity.GetTagItem("volumegen.files") is > 0 ? Input : Output).TrySetResult(name);
                        // A run's two volumes are initialized together, in one span.
                        if (activity.GetTagItem("volumegen.output_volume") is string output)
                        {
                            Output.TrySetResult(output);
                        }
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public TaskCompletionSource<string> Input { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Output { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose() => _listener.Dispose();
    }

    private static MemoryStream Tar(string fileName)
    {
        var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, fileName) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream([]) });
        }

        archive.Position = 0;
        return archive;
    }
}
