using VolumeGen.Validation;

namespace VolumeGen.Runtime.Tests;

/// <summary>What an image's own config may not decide is refused, each field with its reason.</summary>
public class ImageConfigRulesTests
{
    private static readonly Dictionary<string, string> NoLabels = [];

    [Theory]
    [InlineData("/proc/self/fd/7")] // CVE-2024-21626's image form
    [InlineData("/proc")]
    [InlineData("//proc/./self/cwd")]
    [InlineData("/work/../proc/1/root")]
    public void A_working_directory_under_proc_is_refused(string workingDirectory)
    {
        var error = Assert.Throws<UnsafeImageConfigException>(() => ImageConfigRules.Check("img", workingDirectory, [], NoLabels, "io.volumegen"));

        Assert.Equal(("img", "WorkingDir", workingDirectory), (error.Image, error.Field, error.Value));
    }

    [Theory]
    [InlineData("io.volumegen.tenant")]
    [InlineData("io.volumegen.managed")]
    [InlineData("io.volumegen.anything")]
    public void Labels_in_volumegens_namespace_are_refused(string label)
    {
        var error = Assert.Throws<UnsafeImageConfigException>(() =>
            ImageConfigRules.Check("img", "/", [], new Dictionary<string, string> { ["org.opencontainers.image.title"] = "x", [label] = "victim" }, "io.volumegen"));

        Assert.Equal(("Labels", label), (error.Field, error.Value));
    }

    [Fact]
    public void Labels_of_a_configured_prefix_are_refused_and_others_allowed()
    {
        var labels = new Dictionary<string, string> { ["io.volumegen.tenant"] = "x", ["com.example.run"] = "y" };
        ImageConfigRules.Check("img", "/", [], labels, "com.example.vg");
        Assert.Throws<UnsafeImageConfigException>(() => ImageConfigRules.Check("img", "/", [], labels, "com.example"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/proc/sys")]
    [InlineData("/sys/fs/cgroup")]
    [InlineData("/dev/shm")]
    [InlineData("relative")]
    [InlineData("/a/../etc")]
    [InlineData("/x\u001b[2J")]
    public void Volumes_over_the_root_kernel_filesystems_or_odd_paths_are_refused(string volume)
    {
        var error = Assert.Throws<UnsafeImageConfigException>(() => ImageConfigRules.Check("img", "/", ["/cache", volume], NoLabels, "io.volumegen"));

        Assert.Equal(("Volumes", volume), (error.Field, error.Value));
        Assert.DoesNotContain('\u001b', error.Message);
    }

    [Fact]
    public void Image_volumes_elsewhere_and_at_tmp_are_allowed() =>
        ImageConfigRules.Check("img", "/work", ["/cache", "/var/lib/data/", "/tmp", "/tmp/x"], NoLabels, "io.volumegen");

    [Fact]
    public void More_volumes_than_the_limit_are_refused()
    {
        var volumes = Enumerable.Range(0, ImageConfigRules.MaxVolumes + 1).Select(i => $"/v{i}").ToList();

        var error = Assert.Throws<UnsafeImageConfigException>(() => ImageConfigRules.Check("img", "/", volumes, NoLabels, "io.volumegen"));

        Assert.Equal("Volumes", error.Field);
        ImageConfigRules.Check("img", "/", volumes[..ImageConfigRules.MaxVolumes], NoLabels, "io.volumegen");
    }
}
