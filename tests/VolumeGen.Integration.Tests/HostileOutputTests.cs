namespace VolumeGen.Integration.Tests;

/// <summary>Tools that put something other than a regular file where an output is expected.</summary>
public class HostileOutputTests
{
    [Theory]
    [InlineData("ln -s /etc/passwd /outputs/result", "result", "symbolic link")]
    [InlineData("ln -s /data /outputs/result", "result", "symbolic link")]
    [InlineData("mkfifo /outputs/result", "result", "FIFO")]
    [InlineData("mkdir /outputs/result && echo x > /outputs/result/inner", "result", "directory")]
    [InlineData("ln -s / /outputs/sub", "sub/etc/passwd", "path whose parent 'sub' is a symbolic link")]
    [InlineData("echo x > /outputs/sub", "sub/result", "path whose parent 'sub' is a regular file")]
    public async Task A_non_regular_output_is_a_clear_error_and_the_volume_is_still_removed(string script, string output, string kind)
    {
        var tenant = DockerEngine.NewTenant();
        await using (var outputs = new IsolatedContainerVolume(tenant, "out"))
        {
            await outputs.InitializeAsync(new Dictionary<string, string>());
            var run = await Tools.RunScriptAsync(script, [outputs.GetVolumeConfig("/outputs", readOnly: false)]);
            Assert.Equal(0, run.ExitCode);

            if (kind.Contains("symbolic link", StringComparison.Ordinal) && await DockerEngine.IsPodmanAsync())
            {
                // Podman resolves links inside the volume itself before it answers: a link pointing
                // out of the volume reads as missing there. Still refused, never served.
                await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => outputs.ReadFilesAsync([output]));
            }
            else
            {
                var error = await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => outputs.ReadFilesAsync([output]));
                Assert.Equal(kind, error.EntryKind);
                Assert.Equal(output, error.FileName);
                await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => outputs.CopyFileToAsync(output, Stream.Null));
            }
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task An_oversized_output_is_refused_without_being_read_whole()
    {
        var tenant = DockerEngine.NewTenant();
        var options = new IsolatedVolumeOptions { MaxFileBytes = 1024 * 1024, MaxStreamedFileBytes = 2 * 1024 * 1024 };
        await using (var outputs = new IsolatedContainerVolume(tenant, "out", options))
        {
            await outputs.InitializeAsync(new Dictionary<string, string>());
            await Tools.RunScriptAsync("dd if=/dev/zero of=/outputs/result bs=1M count=3 2>/dev/null", [outputs.GetVolumeConfig("/outputs", false)]);

            var buffered = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => outputs.ReadFileBytesAsync("result"));
            Assert.Equal(("result", "MaxFileBytes"), (buffered.FileName, buffered.LimitName));
            using var sink = new MemoryStream();
            var streamed = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => outputs.CopyFileToAsync("result", sink));
            Assert.Equal("MaxStreamedFileBytes", streamed.LimitName);
            Assert.Equal(0, sink.Length);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_tool_cannot_create_device_nodes_under_the_default_profile()
    {
        await using var outputs = new IsolatedContainerVolume(DockerEngine.NewTenant(), "out", ToolUser.Root);
        await outputs.InitializeAsync(new Dictionary<string, string>());
        var run = await Tools.RunScriptAsync("mknod /outputs/result c 1 3", [outputs.GetVolumeConfig("/outputs", false)], user: "0:0");

        Assert.NotEqual(0, run.ExitCode);
        await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => outputs.ReadFileBytesAsync("result"));
    }

    [Fact]
    public async Task A_folder_entry_named_with_escape_sequences_is_refused_with_the_name_escaped_in_the_message()
    {
        var tenant = DockerEngine.NewTenant();
        var request = new ToolRunRequest(
            new ToolDefinition(new ToolRunSpec(Samples.StandInTools.BusyboxImage.Name)
            {
                Entrypoint = ["/bin/sh", "-c"],
                // ESC [2J clears a terminal, BEL rings it, a newline starts a forged log line.
                Command = ["touch \"/outputs/r/$(printf 'a\\033[2J\\007\\nINFO forged')\""],
            })
            { Outputs = [new TextOutputDirectory("r")] },
            tenant,
            "escapes");

        var error = await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => Tools.Runner.RunToolAsync(request));

        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.Contains("\\u001b[2J\\u0007\\u000aINFO forged", error.Message);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_failing_tools_stderr_reaches_the_message_escaped_and_the_result_as_written()
    {
        var tenant = DockerEngine.NewTenant();
        var spec = new ToolRunSpec(Samples.StandInTools.BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = ["printf 'bad\\033]0;owned\\007\\nINFO forged\\n' >&2; exit 3"],
        };

        var error = await Assert.ThrowsAsync<ContainerToolFailedException>(() => Tools.Runner.RunToolAsync(new ToolRunRequest(new ToolDefinition(spec), tenant, "stderr")));

        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.Contains("bad\\u001b]0;owned\\u0007\\u000aINFO forged", error.Message);
        Assert.Equal("bad\u001b]0;owned\u0007\nINFO forged\n", error.Result.Stderr);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
