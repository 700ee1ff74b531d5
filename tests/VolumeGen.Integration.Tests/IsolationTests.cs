namespace VolumeGen.Integration.Tests;

public class IsolationTests
{
    [Fact]
    public async Task Two_tenants_in_parallel_never_see_each_others_files()
    {
        var tenants = new[] { DockerEngine.NewTenant("a"), DockerEngine.NewTenant("b") };
        var results = await Task.WhenAll(tenants.Select(async tenant =>
        {
            await using var inputs = new IsolatedContainerVolume(tenant, "same-run");
            await using var outputs = new IsolatedContainerVolume(tenant, "same-run");
            await inputs.InitializeAsync(new Dictionary<string, string> { ["secret.txt"] = $"secret of {tenant}" });
            await outputs.InitializeAsync(new Dictionary<string, string>());
            // The tool lists everything it can reach: the whole filesystem, not only its mounts.
            var run = await Tools.RunScriptAsync(
                "find / \\( -path /proc -o -path /sys \\) -prune -o -type f -print > /outputs/listing; cat /inputs/secret.txt > /outputs/seen",
                [inputs.GetVolumeConfig("/inputs"), outputs.GetVolumeConfig("/outputs", false)]);
            Assert.Equal(0, run.ExitCode);
            var read = await outputs.ReadFilesAsync(["listing", "seen"]);
            Assert.Contains("/inputs/secret.txt", read["listing"]);
            return (tenant, read["seen"], inputs.Name, read["listing"]);
        }));

        Assert.Equal($"secret of {tenants[0]}", results[0].Item2);
        Assert.Equal($"secret of {tenants[1]}", results[1].Item2);
        Assert.NotEqual(results[0].Name, results[1].Name);
        // Each tool's view of the whole filesystem holds exactly one secret file: its own.
        Assert.All(results, r => Assert.Single(r.Item4.Split('\n'), line => line.EndsWith("secret.txt", StringComparison.Ordinal)));
        foreach (var tenant in tenants)
        {
            await DockerEngine.AssertNoLeftoversAsync(tenant);
        }
    }

    [Fact]
    public async Task A_tool_sees_only_its_own_tenants_files_even_while_another_runs()
    {
        var a = DockerEngine.NewTenant("a");
        var b = DockerEngine.NewTenant("b");
        await using var volumeA = new IsolatedContainerVolume(a, "r");
        await using var volumeB = new IsolatedContainerVolume(b, "r");
        await volumeA.InitializeAsync(new Dictionary<string, string> { ["a-only.txt"] = "A" });
        await volumeB.InitializeAsync(new Dictionary<string, string> { ["b-only.txt"] = "B" });

        // Both run at once; each lists the whole filesystem and counts the volumes it has mounted.
        const string Look = "sleep 1; grep -c /volumes/ /proc/self/mountinfo; find / \\( -path /proc -o -path /sys \\) -prune -o -name '*-only.txt' -print";
        var runs = await Task.WhenAll(
            Tools.RunScriptAsync(Look, [volumeA.GetVolumeConfig("/inputs")]),
            Tools.RunScriptAsync(Look, [volumeB.GetVolumeConfig("/inputs")]));

        Assert.Equal("1\n/inputs/a-only.txt\n", runs[0].Stdout);
        Assert.Equal("1\n/inputs/b-only.txt\n", runs[1].Stdout);
    }

    [Fact]
    public async Task Same_tenant_and_run_in_the_same_millisecond_get_distinct_volumes()
    {
        var tenant = DockerEngine.NewTenant();
        IsolatedContainerVolume first, second;
        do
        {
            first = new IsolatedContainerVolume(tenant, "run");
            second = new IsolatedContainerVolume(tenant, "run");
        }
        while (first.Name.Split('-')[^2] != second.Name.Split('-')[^2]);

        await using (first)
        await using (second)
        {
            await first.InitializeAsync(new Dictionary<string, string> { ["who"] = "first" });
            await second.InitializeAsync(new Dictionary<string, string> { ["who"] = "second" });
            Assert.NotEqual(first.Name, second.Name);

            await first.CleanupAsync();
            // The other branch's volume survives the first one's cleanup.
            Assert.Equal("second", (await second.ReadFilesAsync(["who"]))["who"]);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../x")]
    [InlineData("a\\b")]
    public async Task Path_traversal_and_absolute_names_are_rejected_with_nothing_created(string name)
    {
        var tenant = DockerEngine.NewTenant();
        var volume = new IsolatedContainerVolume(tenant, "run");
        var error = await Assert.ThrowsAsync<VolumeValidationException>(() =>
            volume.InitializeAsync(new Dictionary<string, string> { ["fine.txt"] = "x", [name] = "evil" }));

        Assert.Equal(name, error.Value);
        Assert.False(await DockerEngine.VolumeExistsAsync(volume.Name));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
