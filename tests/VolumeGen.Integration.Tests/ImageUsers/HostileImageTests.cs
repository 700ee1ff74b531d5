using Docker.DotNet;
using Docker.DotNet.Models;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests.ImageUsers;

/// <summary>
/// Images as a hostile author ships them: every image config field that reaches the container is
/// refused, overridden or harmless, and a refusal comes before any volume or container of the run.
/// </summary>
public class HostileImageTests
{
    private const string Report = "echo ran > /outputs/out.txt";

    public static TheoryData<string, string, string> RefusedImages() => new()
    {
        // CVE-2024-21626's image form: only a patched runc stopped it before.
        { "workdir-proc", "WORKDIR /proc/self/fd/7", "WorkingDir" },
        // Containers inherit image labels: a tool container would claim another tenant.
        { "forged-label", "LABEL io.volumegen.tenant=victim", "Labels" },
        { "volume-proc", "VOLUME /proc/sys/kernel", "Volumes" },
        { "volume-root", "VOLUME /", "Volumes" },
        { "volumes-many", "VOLUME " + string.Join(' ', Enumerable.Range(0, 40).Select(i => $"/v{i}")), "Volumes" },
        // Not user[:group]: runc would make something of it; VolumeGen will not guess.
        { "user-malformed", "USER a:b:c", "User" },
    };

    [Theory]
    [MemberData(nameof(RefusedImages))]
    public async Task An_image_config_that_decides_what_it_may_not_is_refused_before_anything_exists(string name, string change, string field)
    {
        var tenant = DockerEngine.NewTenant();
        var image = await ImageAsync(name, change);

        var error = await Assert.ThrowsAsync<UnsafeImageConfigException>(() => Tools.Runner.RunToolAsync(Request(image, tenant)));

        Assert.Equal((image, field), (error.Image, error.Field));
        Assert.DoesNotContain(error.Message, char.IsControl);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_working_directory_the_tool_declares_replaces_the_images_and_is_not_refused()
    {
        var tenant = DockerEngine.NewTenant();
        var image = await ImageAsync("workdir-proc", "WORKDIR /proc/self/fd/7");

        var outcome = await Tools.Runner.RunToolAsync(Request(image, tenant, t => t with { WorkingDirectory = "/tmp" }));

        Assert.Equal("ran\n", outcome.Get(new TextOutputFile("out.txt")));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_declared_name_the_image_maps_to_uid_0_is_refused_without_the_root_opt_in()
    {
        var tenant = DockerEngine.NewTenant();
        var image = await ImageAsync("app-is-root", passwd: BusyboxImage.DefaultPasswd + "app:x:0:0::/:/bin/sh\n");

        var error = await Assert.ThrowsAsync<UnsafeToolSpecException>(() => Tools.Runner.RunToolAsync(Request(image, tenant, t => t with { User = "app" })));

        Assert.Equal(nameof(ToolRunSpec.User), error.Property);
        Assert.Contains("User = \"root\"", error.Message);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_group_named_like_the_nonroot_gid_would_give_the_default_user_group_0_so_the_image_is_refused()
    {
        // Docker 20.10 adds the tool's gid 65532 to its groups by name first: this line made it group 0.
        var tenant = DockerEngine.NewTenant();
        var image = await ImageAsync("group-named-65532", group: "65532:x:0:\n" + BusyboxImage.DefaultGroup);

        var error = await Assert.ThrowsAsync<UnsafeImageConfigException>(() => Tools.Runner.RunToolAsync(Request(image, tenant)));

        Assert.Equal(("/etc/group", "65532"), (error.Field, error.Value));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Theory]
    [InlineData("passwd-zero", "/etc/passwd")] // a link to /dev/zero: read, it would never end
    [InlineData("passwd-huge", "/etc/passwd")] // past runc's 10 MiB
    public async Task An_account_file_that_is_not_a_small_regular_file_is_refused_at_once(string name, string field)
    {
        var tenant = DockerEngine.NewTenant();
        var image = name == "passwd-zero"
            ? await ImageAsync(name, passwd: null, configure: i => i.AddSymlink("/etc/passwd", "/dev/zero"))
            : await ImageAsync(name, passwd: BusyboxImage.DefaultPasswd + string.Concat(Enumerable.Repeat("#" + new string('x', 1023) + "\n", 11 * 1024)));

        var run = () => Tools.Runner.RunToolAsync(Request(image, tenant, t => t with { User = "nonroot" }));

        if (name == "passwd-zero" && await DockerEngine.IsPodmanAsync())
        {
            // Podman resolves the link itself and answers that the file is missing: no account, still refused.
            await Assert.ThrowsAsync<ToolUserNotFoundException>(run);
        }
        else
        {
            Assert.Equal(field, (await Assert.ThrowsAsync<UnsafeImageConfigException>(run)).Field);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    /// <summary>Docker only: Podman's import takes no HEALTHCHECK (test.sh leaves this test out there).</summary>
    [Fact]
    public async Task An_image_healthcheck_never_runs_in_the_tools_container()
    {
        var tenant = DockerEngine.NewTenant();
        var image = await ImageAsync("healthcheck", "HEALTHCHECK --interval=100ms --start-period=1ms CMD touch /outputs/healthcheck-ran");

        var outcome = await Tools.Runner.RunToolAsync(Request(image, tenant) with { Command = ["sleep 3; ls /outputs > /tmp/l; cp /tmp/l /outputs/out.txt"] });

        Assert.DoesNotContain("healthcheck-ran", outcome.Get(new TextOutputFile("out.txt")));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_tool_that_ignores_every_signal_it_can_does_not_outlive_its_timeout()
    {
        // The image's STOPSIGNAL never matters: a tool is killed (SIGKILL), never asked to stop.
        // (An import cannot set STOPSIGNAL on this engine, so the tool ignores every catchable signal instead.)
        var tenant = DockerEngine.NewTenant();
        var image = await ImageAsync("stopsignal");
        var request = Request(image, tenant, t => t with { Command = ["trap '' TERM INT USR1 HUP; sleep 60"], Timeout = TimeSpan.FromSeconds(2) });

        await Assert.ThrowsAsync<ContainerToolTimeoutException>(() => Tools.Runner.RunToolAsync(request));

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    private static ToolRunRequest Request(string image, string tenant, Func<ToolRunSpec, ToolRunSpec>? adjust = null)
    {
        var spec = new ToolRunSpec(image) { Entrypoint = ["/bin/sh", "-c"], Command = [Report], Timeout = TimeSpan.FromSeconds(60) };
        return new ToolRunRequest(new ToolDefinition(adjust?.Invoke(spec) ?? spec) { Outputs = [new TextOutputFile("out.txt")] }, tenant, "hostile-image");
    }

    /// <summary>A busybox image with one hostile trait, made once per engine.</summary>
    private static async Task<string> ImageAsync(
        string name, string? change = null, string? passwd = BusyboxImage.DefaultPasswd, string group = BusyboxImage.DefaultGroup, Func<LocalImage, LocalImage>? configure = null)
    {
        var client = await DockerEngine.ClientAsync();
        // Tagged by content: an image changed here is made again, never an older one reused.
        var tag = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{change}\0{passwd}\0{group}")))[..12];
        var image = BusyboxImage.WithBusybox(new LocalImage($"volumegen-test/hostile-{name}:{tag}"), passwd, group).WithChange("ENV PATH=/bin");
        image = configure?.Invoke(image) ?? image;
        if (change is not null)
        {
            image.WithChange(change);
        }

        await image.EnsureAsync(client);
        return image.Name;
    }
}
