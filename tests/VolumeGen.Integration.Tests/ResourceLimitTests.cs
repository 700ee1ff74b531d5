namespace VolumeGen.Integration.Tests;

/// <summary>
/// Memory and pids limits either hold inside the tool, or the engine cannot enforce them (rootless
/// Docker without cgroups) and the run is refused unless that was explicitly allowed.
/// </summary>
public class ResourceLimitTests
{
    private const string ShowLimits =
        "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max; " +
        "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; " +
        "cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us; ulimit -n; ulimit -u";

    [Fact]
    public async Task Limits_are_enforced_or_the_run_is_refused_unless_allowed()
    {
        var tenant = DockerEngine.NewTenant();
        var client = await DockerEngine.ClientAsync();
        var info = await client.System.GetSystemInfoAsync();
        var strict = new ContainerToolRunner(new DockerConnectionOptions { AllowUnenforcedResourceLimits = false });
        var spec = new ToolRunSpec(Samples.StandInTools.BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"], Command = [ShowLimits], TenantId = tenant, PidsLimit = 100, MemoryBytes = 96L * 1024 * 1024,
            CpuLimit = 0.5, OpenFilesLimit = 512, ProcessesPerUserLimit = 2048,
        };

        if (info.MemoryLimit && info.PidsLimit)
        {
            var run = await strict.RunAsync(spec);
            // cgroup v2 says "50000 100000" for half a CPU, v1 the quota alone (with a 100000 period).
            Assert.Matches($"^100\n{96L * 1024 * 1024}\n50000( 100000)?\n512\n2048\n$", run.Stdout);
        }
        else
        {
            var error = await Assert.ThrowsAsync<LimitsNotEnforcedException>(() => strict.RunAsync(spec));
            Assert.Contains("does not enforce memory or pids limits", error.Message);
            // Allowed, the ulimits still hold: on such an engine they are the only bound there is.
            var lenient = new ContainerToolRunner(new DockerConnectionOptions { AllowUnenforcedResourceLimits = true });
            Assert.EndsWith("512\n2048\n", (await lenient.RunAsync(spec)).Stdout);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
