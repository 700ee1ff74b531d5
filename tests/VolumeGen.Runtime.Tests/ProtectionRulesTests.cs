using VolumeGen.Running;

namespace VolumeGen.Runtime.Tests;

public class ProtectionRulesTests
{
    private static readonly ToolRunSpec Defaults = new("tool:1");

    public static TheoryData<string, Func<ToolRunSpec, ToolRunSpec>> Weakenings() => new()
    {
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
}
