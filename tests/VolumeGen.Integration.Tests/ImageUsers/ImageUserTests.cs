using System.IO.Compression;
using Docker.DotNet.Models;
using VolumeGen.Testing;

namespace VolumeGen.Integration.Tests.ImageUsers;

/// <summary>
/// Tools run as their images make them run, with every capability dropped: inputs readable,
/// outputs and /tmp writable, whatever the user; nothing of the image leaks into or out of a run.
/// </summary>
public class ImageUserTests
{
    [Fact]
    public async Task A_root_image_runs_as_nonroot_and_reads_inputs_writes_outputs_and_tmp()
    {
        var tenant = await NewTenantAsync();
        var tool = new RootImageTool { In = "a.example" };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        AssertProbe(tool.Out, "65532:65532");
        Assert.Contains("outputs-before=\n", tool.Out); // the image's /outputs/stale.txt was not copied in
        Assert.Null(tool.Stale);
        Assert.Contains("cache-writable", tool.Out); // the image VOLUME is a tmpfs the tool owns
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Root_asked_for_explicitly_runs_as_root_without_capabilities()
    {
        var tenant = await NewTenantAsync();
        var tool = new ExplicitRootTool { In = "a.example" };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        AssertProbe(tool.Out, "0:0");
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_named_user_from_the_images_own_passwd_owns_the_volumes()
    {
        var tenant = await NewTenantAsync();
        var tool = new NamedUserTool { In = "a.example" };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        AssertProbe(tool.Out, "1234:2345");
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_declared_user_and_group_by_name_resolve_in_the_image()
    {
        var tenant = await NewTenantAsync();
        var tool = new DeclaredNamesTool { In = "a.example" };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        AssertProbe(tool.Out, "65532:2345");
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_bare_numeric_image_user_runs_with_group_0_like_runc_gives_it()
    {
        var tenant = await NewTenantAsync();
        var tool = new NumericUserTool { In = "a.example" };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        AssertProbe(tool.Out, "4321:0");
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_user_the_image_does_not_define_fails_before_anything_exists()
    {
        var tenant = await NewTenantAsync();
        var tool = new GhostUserTool { In = "a.example" };

        var error = await Assert.ThrowsAsync<ToolUserNotFoundException>(() => tool.RunAsync(new ToolRunContext(tenant, "wf-1")));

        Assert.Equal((UserImages.Named, "ghost"), (error.Image, error.User));
        Assert.Contains("user 'ghost'", error.Message);
        Assert.Null(tool.Out);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task By_hand_the_resolved_user_owns_the_volumes_and_a_mismatch_is_refused_before_a_container_exists()
    {
        var tenant = await NewTenantAsync();
        var spec = new ToolRunSpec(UserImages.Named) { Entrypoint = ["/bin/sh", "-c"], Command = [UserImages.Probe], TenantId = tenant, RunId = "wf-1" };
        var owner = await Tools.Runner.ResolveUserAsync(spec);
        Assert.Equal(new ToolUser(1234, 2345), owner);

        await using (var inputs = new IsolatedContainerVolume(tenant, "wf-1", owner))
        await using (var outputs = new IsolatedContainerVolume(tenant, "wf-1", owner))
        await using (var wrongOwner = new IsolatedContainerVolume(tenant, "wf-1"))
        {
            await inputs.InitializeAsync(new Dictionary<string, string> { ["in.txt"] = "a.example" });
            await outputs.InitializeAsync(new Dictionary<string, string>());
            await wrongOwner.InitializeAsync(new Dictionary<string, string>());

            var run = await Tools.Runner.RunAsync(spec with { Mounts = [inputs.GetVolumeConfig("/inputs"), outputs.GetVolumeConfig("/outputs", readOnly: false)] });
            Assert.Equal(0, run.ExitCode);
            AssertProbe((await outputs.ReadFilesAsync(["out.txt"]))["out.txt"], "1234:2345");

            var error = await Assert.ThrowsAsync<MountRefusedException>(() =>
                Tools.Runner.RunAsync(spec with { Mounts = [inputs.GetVolumeConfig("/inputs"), wrongOwner.GetVolumeConfig("/elsewhere")] }));
            Assert.Contains("is owned by 65532:65532", error.Message);
            Assert.Contains("runs as 1234:2345", error.Message);
            Assert.Empty(await ToolContainersAsync(tenant)); // only the outputs' prepared read helpers exist

        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task An_image_volume_leaves_no_anonymous_volume_behind_on_success_or_failure()
    {
        var tenant = await NewTenantAsync();
        var before = await UnlabeledVolumesAsync();

        await new RootImageTool { In = "x" }.RunAsync(new ToolRunContext(tenant, "ok"));
        var failing = new ToolRunSpec(UserImages.Root) { Entrypoint = ["/bin/sh", "-c"], Command = ["echo y > /cache/z; exit 7"], TenantId = tenant };
        Assert.Equal(7, (await Tools.Runner.RunAsync(failing)).ExitCode);
        var slow = failing with { Command = ["echo y > /cache/z; sleep 30"], Timeout = TimeSpan.FromSeconds(1) };
        await Assert.ThrowsAsync<ContainerToolTimeoutException>(() => Tools.Runner.RunAsync(slow));

        Assert.Empty((await UnlabeledVolumesAsync()).Except(before));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task An_input_stream_of_unknown_length_goes_in_through_a_spool_file()
    {
        var tenant = await NewTenantAsync();
        const int size = 3 * 1024 * 1024;
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await new PatternStream(size).CopyToAsync(gzip);
        }

        compressed.Position = 0;
        await using var unknownLength = new GZipStream(compressed, CompressionMode.Decompress);
        var tool = new CopyAllKindsTool { Text = "t", Bytes = [1], Memory = new byte[] { 2 }, Stream = unknownLength };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        Assert.Equal(size + 2, tool.All!.Length);
        Assert.Equal(PatternStream.Hash(size), System.Security.Cryptography.SHA256.HashData(tool.All.AsSpan(2)));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task An_input_stream_of_unknown_length_beyond_the_limit_is_a_typed_error_and_leaves_nothing()
    {
        var tenant = await NewTenantAsync();
        var spoolDirectory = Directory.CreateTempSubdirectory("volumegen-spool").FullName;
        try
        {
            var options = new IsolatedVolumeOptions { MaxStreamedFileBytes = 1024 * 1024, SpoolDirectory = spoolDirectory };
            var tool = new CopyAllKindsTool { Text = "t", Stream = new PatternStream(2 * 1024 * 1024) };

            var error = await Assert.ThrowsAsync<VolumeWriteLimitExceededException>(() =>
                tool.RunAsync(new ToolRunContext(tenant, "wf-1") { VolumeOptions = options }));

            Assert.Equal("stream.bin", error.FileName);
            Assert.Empty(Directory.GetFileSystemEntries(spoolDirectory));
            await DockerEngine.AssertNoLeftoversAsync(tenant);
        }
        finally
        {
            Directory.Delete(spoolDirectory, recursive: true);
        }
    }

    private static async Task<string> NewTenantAsync()
    {
        var tenant = DockerEngine.NewTenant();
        await UserImages.EnsureAsync();
        return tenant;
    }

    /// <summary>The tool ran as <paramref name="user"/>, read its input, and owned a noexec /tmp.</summary>
    private static void AssertProbe(string? output, string user)
    {
        Assert.NotNull(output);
        Assert.Contains($"id={user}\n", output);
        Assert.Contains("input=a.example\n", output);
        // Owned by the tool's user; runc gives the tmpfs root the mode of the image's own directory.
        Assert.Contains($"tmp={user} ", output);
        Assert.Contains("tmp-noexec", output);
    }

    private static async Task<IList<ContainerListResponse>> ToolContainersAsync(string tenant)
    {
        var client = await DockerEngine.ClientAsync();
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
        return containers.Where(c => c.Labels is { } labels && labels.TryGetValue("io.volumegen.tenant", out var t) && t == tenant
            && c.Labels.TryGetValue("io.volumegen.role", out var role) && role == "tool").ToList();
    }

    private static async Task<List<string>> UnlabeledVolumesAsync()
    {
        var client = await DockerEngine.ClientAsync();
        var volumes = await client.Volumes.ListAsync(new VolumesListParameters());
        return (volumes.Volumes ?? []).Where(v => v.Labels is null || v.Labels.Count == 0).Select(v => v.Name).ToList();
    }
}
