using VolumeGen.Running;

namespace VolumeGen.Runtime.Tests;

public class ProtectionRulesTests
{
    private static readonly ToolRunSpec Defaults = new("tool:1");

    public static TheoryData<string, Func<ToolRunSpec, ToolRunSpec>> Weakenings() => new()
    {
        { "Environment", s => s with { Environment = new Dictionary<string, string> { ["A=B"] = "x" } } },
        { "Environment", s => s with { Environment = new Dictionary<string, string> { ["1ST"] = "x" } } },
        { "Environment", s => s with { Environment = new Dictionary<string, string> { ["OK"] = "a\0b" } } },
        { "SecretEnvironment", s => s with { SecretEnvironment = new Dictionary<string, string> { ["TOKEN"] = "a\0b" } } },
        { "SecretEnvironment", s => s with { Environment = new Dictionary<string, string> { ["TOKEN"] = "x" }, SecretEnvironment = new Dictionary<string, string> { ["TOKEN"] = "y" } } },
        { "PidsLimit", s => s with { PidsLimit = 0 } },
        { "PidsLimit", s => s with { PidsLimit = -1 } },
        { "MemoryBytes", s => s with { MemoryBytes = 0 } },
        { "CpuLimit", s => s with { CpuLimit = 0 } },
        { "CpuLimit", s => s with { CpuLimit = double.NaN } },
        { "OpenFilesLimit", s => s with { OpenFilesLimit = 0 } },
        { "ProcessesPerUserLimit", s => s with { ProcessesPerUserLimit = -1 } },
        { "TmpSize", s => s with { TmpSize = "64m,exec" } },
        { "TmpSize", s => s with { TmpSize = "" } },
        { "TmpSize", s => s with { TmpSize = "0" } },
        { "ImageVolumeSize", s => s with { ImageVolumeSize = "1g,suid" } },
        { "NetworkMode", s => s with { NetworkMode = "" } },
        { "NetworkMode", s => s with { NetworkMode = "", AllowNetwork = true } },
        { "NetworkMode", s => s with { NetworkMode = "bridge" } },
        { "NetworkMode", s => s with { NetworkMode = "host" } },
        { "DropCapabilities", s => s with { DropCapabilities = [] } },
        { "AddCapabilities", s => s with { AddCapabilities = ["NET_RAW"] } },
        { "WorkingDirectory", s => s with { WorkingDirectory = "/proc/self/fd/7" } },
        { "WorkingDirectory", s => s with { WorkingDirectory = "/proc" } },
        { "WorkingDirectory", s => s with { WorkingDirectory = "//proc/./1/cwd" } },
        { "WorkingDirectory", s => s with { WorkingDirectory = "/work/../proc/1" } },
    };

    [Theory]
    [MemberData(nameof(Weakenings))]
    public void A_value_that_switches_a_protection_off_is_refused_naming_the_property(string property, Func<ToolRunSpec, ToolRunSpec> weaken)
    {
        var error = Assert.Throws<UnsafeToolSpecException>(() => ProtectionRules.Check(weaken(Defaults)));
        Assert.Equal(property, error.Property);
        Assert.StartsWith($"ToolRunSpec.{property}:", error.Message);
    }

    [Fact]
    public void The_named_opt_ins_and_honest_values_pass()
    {
        ProtectionRules.Check(Defaults);
        ProtectionRules.Check(Defaults with { NetworkMode = "bridge", AllowNetwork = true });
        ProtectionRules.Check(Defaults with { AddCapabilities = ["NET_RAW"], AllowCapabilities = true });
        ProtectionRules.Check(Defaults with { TmpSize = null, ImageVolumeSize = "1G", PidsLimit = 1, CpuLimit = 0.25, WorkingDirectory = "/work/proc" });
    }

    [Fact]
    public async Task The_runner_refuses_before_it_touches_docker()
    {
        var runner = new ContainerToolRunner(new DockerConnectionOptions { Endpoint = new Uri("unix:///nonexistent/docker.sock") });
        await Assert.ThrowsAsync<UnsafeToolSpecException>(() => runner.RunAsync(Defaults with { PidsLimit = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => runner.RunAsync(Defaults with { Timeout = TimeSpan.FromDays(60) }));
    }

    [Theory]
    [InlineData("/tmp", null, "tmpfs")]
    [InlineData("/tmp/work", null, "tmpfs")]
    [InlineData("/proc/x", null, "kernel filesystem /proc")]
    [InlineData("/dev", null, "kernel filesystem /dev")]
    [InlineData("/data", "/data/out", "nested")]
    [InlineData("/data/", "/data", "nested")]
    public async Task Mount_targets_that_are_taken_or_nested_are_refused_before_docker(string target, string? second, string reason)
    {
        var runner = new ContainerToolRunner(new DockerConnectionOptions { Endpoint = new Uri("unix:///nonexistent/docker.sock") });
        VolumeMount[] mounts = second is null
            ? [new VolumeMount("volume-a", target, true)]
            : [new VolumeMount("volume-a", target, true), new VolumeMount("volume-b", second, false)];

        var error = await Assert.ThrowsAsync<VolumeValidationException>(() => runner.RunAsync(Defaults with { Mounts = mounts, TenantId = "t" }));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task A_mount_at_tmp_is_fine_when_the_spec_mounts_no_tmpfs_there()
    {
        var runner = new ContainerToolRunner(new DockerConnectionOptions { Endpoint = new Uri("unix:///nonexistent/docker.sock") });
        // Past validation it needs the engine, which is not there: that is the error to expect.
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            runner.RunAsync(Defaults with { TmpSize = null, Mounts = [new VolumeMount("volume-a", "/tmp", false)], TenantId = "t" }));
        Assert.IsNotType<VolumeValidationException>(error);
    }

    [Fact]
    public void A_refused_secret_value_is_never_shown()
    {
        var error = Assert.Throws<UnsafeToolSpecException>(() => ProtectionRules.Check(Defaults with { SecretEnvironment = new Dictionary<string, string> { ["TOKEN"] = "hunter2\0" } }));
        Assert.DoesNotContain("hunter2", error.Message);
        var shown = Assert.Throws<UnsafeToolSpecException>(() => ProtectionRules.Check(Defaults with { Environment = new Dictionary<string, string> { ["MODE"] = "fast\0" } }));
        Assert.Contains("fast", shown.Message);
    }
}

/// <summary>Read-back bounds that would switch themselves off are refused where they are set.</summary>
public class VolumeOptionsTests
{
    [Fact]
    public void A_stage_out_deadline_must_be_positive_and_settable_on_a_timer()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsolatedVolumeOptions { StageOutTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsolatedVolumeOptions { StageOutTimeout = TimeSpan.FromDays(50) });
        Assert.Equal(TimeSpan.FromSeconds(1), new IsolatedVolumeOptions { StageOutTimeout = TimeSpan.FromSeconds(1) }.StageOutTimeout);
    }

    [Fact]
    public void The_unrequested_budget_may_be_zero_but_not_negative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsolatedVolumeOptions { MaxUnrequestedBytes = -1 });
        Assert.Equal(0, new IsolatedVolumeOptions { MaxUnrequestedBytes = 0 }.MaxUnrequestedBytes);
    }
}
