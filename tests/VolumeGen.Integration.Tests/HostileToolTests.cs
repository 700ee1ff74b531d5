namespace VolumeGen.Integration.Tests;

/// <summary>Tools that misbehave on purpose: each gets a clear error or is contained, and nothing leaks.</summary>
public class HostileToolTests
{
    [Fact]
    public async Task A_hardlink_stays_inside_the_volume_and_reads_as_the_file_it_links()
    {
        await WithOutputVolumeAsync("echo inside > /outputs/a && ln /outputs/a /outputs/result", async (outputs, run) =>
        {
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("inside\n", (await outputs.ReadFilesAsync(["result"]))["result"]);
        });
    }

    [Fact]
    public async Task A_hardlink_to_a_file_outside_the_volume_is_refused_by_the_kernel()
    {
        await WithOutputVolumeAsync("ln /etc/passwd /outputs/result; echo $?", async (outputs, run) =>
        {
            Assert.NotEqual("0\n", run.Stdout); // cross-mount links fail with EXDEV
            await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => outputs.ReadFileBytesAsync("result"));
        });
    }

    [Fact]
    public async Task A_device_node_is_refused_when_a_tool_is_allowed_to_make_one()
    {
        await WithOutputVolumeAsync("mknod /outputs/result c 1 3", async (outputs, run) =>
        {
            if (run.ExitCode != 0 && await DockerEngine.RunsInUserNamespaceAsync())
            {
                // A user namespace (userns-remap, rootless) forbids device nodes even with CAP_MKNOD.
                Assert.Contains("Operation not permitted", run.Stderr);
                await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => outputs.ReadFileBytesAsync("result"));
                return;
            }

            Assert.Equal(0, run.ExitCode);
            var error = await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => outputs.ReadFileBytesAsync("result"));
            Assert.Equal("character device", error.EntryKind);
        }, user: "0:0", adjust: spec => spec with { AddCapabilities = ["MKNOD"], AllowCapabilities = true });
    }

    [Fact]
    public async Task A_2_GiB_sparse_output_is_refused_by_its_size_without_reading_it()
    {
        var started = DateTime.UtcNow;
        await WithOutputVolumeAsync("truncate -s 2G /outputs/result", async (outputs, _) =>
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => outputs.ReadFileBytesAsync("result"));
            await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => outputs.CopyFileToAsync("result", Stream.Null));
            Assert.InRange(GC.GetTotalMemory(forceFullCollection: true) - before, long.MinValue, 16L * 1024 * 1024);
        }, options: new IsolatedVolumeOptions { MaxStreamedFileBytes = 1L << 30 });
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "refused up front, not after streaming 2 GiB");
    }

    [Fact]
    public async Task Thousands_of_tiny_files_do_not_get_in_the_way_and_are_all_removed()
    {
        await WithOutputVolumeAsync("i=0; while [ $i -lt 3000 ]; do echo $i > /outputs/f$i; i=$((i+1)); done; echo ok > /outputs/result", async (outputs, run) =>
        {
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("ok\n", (await outputs.ReadFilesAsync(["result"]))["result"]);
            var tooMany = Enumerable.Range(0, 1025).Select(i => $"f{i}");
            Assert.Equal("MaxEntries", (await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => outputs.ReadFilesAsync(tooMany))).LimitName);
        });
    }

    [Theory]
    [InlineData("result\nwith-newline")]
    [InlineData("../result")]
    public async Task Hostile_names_are_rejected_before_any_read(string name)
    {
        await WithOutputVolumeAsync("printf x > \"/outputs/$(printf 'result\\nwith-newline')\"", async (outputs, _) =>
            await Assert.ThrowsAsync<VolumeValidationException>(() => outputs.ReadFilesAsync([name])));
    }

    [Fact]
    public async Task A_very_long_name_is_refused_by_the_tools_filesystem_and_by_the_validator()
    {
        var longName = new string('n', 300);
        await WithOutputVolumeAsync($"echo x > /outputs/{longName}; echo $?", async (outputs, run) =>
        {
            Assert.NotEqual("0\n", run.Stdout);
            await Assert.ThrowsAsync<VolumeValidationException>(() => outputs.ReadFileBytesAsync(longName));
        });
    }

    [Fact]
    public async Task A_fork_bomb_hits_the_pids_limit_and_its_processes_die_with_the_container()
    {
        var tenant = DockerEngine.NewTenant();
        var run = await Tools.RunScriptAsync(
            "i=0; while [ $i -lt 1000 ]; do sleep 600 & i=$((i+1)); done; wait", [], timeout: TimeSpan.FromSeconds(30),
            adjust: spec => spec with { PidsLimit = 64, TenantId = tenant });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("can't fork", run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.True(run.Duration < TimeSpan.FromSeconds(30), "the shell gave up at the limit; its 600 s sleeps were killed with the container");
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_tool_cannot_reach_the_network()
    {
        var run = await Tools.RunScriptAsync(
            "wget -q -T 2 -O - http://1.1.1.1/ 2>&1; echo wget=$?; nc -w 2 1.1.1.1 53 </dev/null 2>&1; echo nc=$?; cat /proc/net/route | wc -l", []);

        Assert.DoesNotContain("wget=0", run.Stdout);
        Assert.DoesNotContain("nc=0", run.Stdout);
        Assert.EndsWith("1\n", run.Stdout); // the routing table has its header line and no route
    }

    private static async Task WithOutputVolumeAsync(
        string script, Func<IsolatedContainerVolume, ToolRunResult, Task> check, string user = "65532:65532",
        Func<ToolRunSpec, ToolRunSpec>? adjust = null, IsolatedVolumeOptions? options = null)
    {
        var tenant = DockerEngine.NewTenant();
        await using (var outputs = new IsolatedContainerVolume(tenant, "out", await Tools.OwnerForAsync(user), options))
        {
            await outputs.InitializeAsync(new Dictionary<string, string>());
            var run = await Tools.RunScriptAsync(script, [outputs.GetVolumeConfig("/outputs", readOnly: false)], user, adjust: adjust);
            await check(outputs, run);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
