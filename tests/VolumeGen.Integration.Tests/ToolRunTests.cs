namespace VolumeGen.Integration.Tests;

public class ToolRunTests
{
    [Fact]
    public async Task A_nonroot_tool_reads_inputs_and_writes_outputs()
    {
        var tenant = DockerEngine.NewTenant();
        await using (var inputs = new IsolatedContainerVolume(tenant, "in"))
        await using (var outputs = new IsolatedContainerVolume(tenant, "out"))
        {
            await inputs.InitializeAsync(new Dictionary<string, string> { ["domains.txt"] = "b.example\na.example\nb.example\n" });
            await outputs.InitializeAsync(new Dictionary<string, string>()); // empty output volume, still owned by 65532

            var result = await Tools.RunScriptAsync(
                "id -u; sort -u /inputs/domains.txt > /outputs/results.txt && mkdir /outputs/sub && echo done > /outputs/sub/status",
                [inputs.GetVolumeConfig("/inputs"), outputs.GetVolumeConfig("/outputs", readOnly: false)]);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("65532\n", result.Stdout);
            var read = await outputs.ReadFilesAsync(["results.txt", "sub/status"]);
            Assert.Equal("a.example\nb.example\n", read["results.txt"]);
            Assert.Equal("done\n", read["sub/status"]);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task An_input_mount_is_read_only_for_the_tool()
    {
        await using var inputs = new IsolatedContainerVolume(DockerEngine.NewTenant(), "in");
        await inputs.InitializeAsync(new Dictionary<string, string> { ["domains.txt"] = "original" });

        var result = await Tools.RunScriptAsync(
            "echo tampered > /inputs/domains.txt; touch /inputs/new.txt; rm -f /inputs/domains.txt; cat /inputs/domains.txt",
            [inputs.GetVolumeConfig("/inputs")]); // as the files' owner: only the mount stands in the way

        Assert.Contains("Read-only file system", result.Stderr);
        Assert.Equal("original", result.Stdout);
        Assert.Equal("original", (await inputs.ReadFilesAsync(["domains.txt"]))["domains.txt"]);
        await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => inputs.ReadFileBytesAsync("new.txt"));
    }

    [Fact]
    public async Task Written_files_are_owned_by_the_configured_user_and_never_world_writable()
    {
        await using var inputs = new IsolatedContainerVolume(DockerEngine.NewTenant(), "in");
        await inputs.InitializeAsync(new Dictionary<string, string> { ["secret.txt"] = "s", ["d/f.txt"] = "f" });

        var result = await Tools.RunScriptAsync("stat -c '%n %u:%g %a' /inputs /inputs/d /inputs/d/f.txt /inputs/secret.txt", [inputs.GetVolumeConfig("/inputs")]);

        Assert.Equal(
            "/inputs 65532:65532 750\n/inputs/d 65532:65532 750\n/inputs/d/f.txt 65532:65532 640\n/inputs/secret.txt 65532:65532 640\n",
            result.Stdout);
    }

    [Fact]
    public async Task The_secure_defaults_confine_the_tool()
    {
        var result = await Tools.RunScriptAsync(
            "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; ls /sys/class/net; touch /rootfs-write 2>&1; touch /tmp/ok && echo tmp-ok; cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max",
            [], user: "0:0");

        Assert.Contains("CapEff:\t0000000000000000", result.Stdout);
        Assert.Contains("NoNewPrivs:\t1", result.Stdout);
        Assert.Contains("lo\n", result.Stdout);
        Assert.DoesNotContain("eth0", result.Stdout);
        Assert.Contains("Read-only file system", result.Stdout);
        Assert.Contains("tmp-ok", result.Stdout);
        Assert.Contains("256", result.Stdout);
    }

    [Fact]
    public async Task Output_is_captured_separately_and_capped()
    {
        var result = await Tools.RunScriptAsync(
            "printf 'héllo 名前'; printf 'oops' >&2; yes x | head -c 5000 >&2; exit 3", [],
            adjust: spec => spec with { MaxOutputBytes = 1000 });

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("héllo 名前", result.Stdout);
        Assert.False(result.StdoutTruncated);
        Assert.True(result.StderrTruncated);
        Assert.Equal(1000, result.Stderr.Length);
        Assert.StartsWith("oops", result.Stderr);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_tool_timeout_kills_and_removes_the_container_and_the_volume_is_still_cleaned()
    {
        var tenant = DockerEngine.NewTenant();
        await using (var inputs = new IsolatedContainerVolume(tenant, "in"))
        {
            await inputs.InitializeAsync(new Dictionary<string, string> { ["a.txt"] = "a" });
            var error = await Assert.ThrowsAsync<ContainerToolTimeoutException>(() => Tools.RunScriptAsync(
                "echo started >&2; sleep 600", [inputs.GetVolumeConfig("/inputs")], timeout: TimeSpan.FromSeconds(2),
                adjust: spec => spec with { TenantId = tenant }));
            Assert.Equal("started\n", error.StderrTail);
            Assert.Empty(await DockerEngine.ContainersBesidesReadHelpersAsync(tenant));
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Mounting_a_volume_that_was_cleaned_up_fails_instead_of_creating_an_empty_one()
    {
        var tenant = DockerEngine.NewTenant();
        await using var volume = new IsolatedContainerVolume(tenant, "in");
        await volume.InitializeAsync(new Dictionary<string, string> { ["a"] = "a" });
        var mount = volume.GetVolumeConfig("/inputs");
        await volume.CleanupAsync();

        var error = await Assert.ThrowsAsync<MountRefusedException>(() => Tools.RunScriptAsync("cat /inputs/a", [mount]));

        Assert.Contains("does not exist", error.Message);
        Assert.False(await DockerEngine.VolumeExistsAsync(volume.Name));
    }

    [Fact]
    public async Task Cancelling_a_run_kills_and_removes_the_container()
    {
        var tenant = DockerEngine.NewTenant();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Tools.RunScriptAsync(
            "sleep 600", [], ct: cts.Token, adjust: spec => spec with { TenantId = tenant }));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
