using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// Output folders read back in one archive request against the real engine: every regular file under
/// them, subfolders included, and the same refusals and limits as single files, with nothing left.
/// </summary>
public class OutputDirectoryTests
{
    private static ToolRunRequest Request(string tenant, string script, params ToolOutput[] outputs) =>
        ScriptRequests.Script(tenant, "dir", script).WithOutputs(outputs);

    [Fact]
    public async Task Every_regular_file_under_the_folder_comes_back_keyed_by_its_relative_path()
    {
        var tenant = DockerEngine.NewTenant();
        var request = Request(
            tenant,
            "mkdir -p /outputs/reports/hosts/deep /outputs/reports/empty && echo '{\"a\":1}' > /outputs/reports/summary.json && " +
            "echo héllo > /outputs/reports/hosts/a.example.txt && : > /outputs/reports/hosts/deep/empty.txt && printf '\\000\\377' > /outputs/raw/x.bin && " +
            "echo no > /outputs/outside.txt",
            new TextOutputDirectory("reports"),
            new BytesOutputDirectory("raw"),
            new TextOutputDirectory("absent", Optional: true));

        var outcome = await Tools.Runner.RunToolAsync(request);

        var reports = outcome.Get(new TextOutputDirectory("reports"))!;
        Assert.Equal(["hosts/a.example.txt", "hosts/deep/empty.txt", "summary.json"], reports.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("héllo\n", reports["hosts/a.example.txt"]);
        Assert.Equal("", reports["hosts/deep/empty.txt"]);
        Assert.Equal(new byte[] { 0, 255 }, outcome.Get(new BytesOutputDirectory("raw"))!["x.bin"]);
        Assert.Empty(outcome.Get(new TextOutputDirectory("absent"))!); // declared, so there from the start, and the tool wrote nothing into it
        Assert.Throws<KeyNotFoundException>(() => outcome.Get(new BytesOutputDirectory("reports"))); // asked for as text
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Every_declared_folder_exists_empty_and_owned_by_the_tools_user_when_the_tool_starts()
    {
        // As clamscan --copy=/outputs/quarantine expects: no 'mkdir -p' wrapper. The stand-in image runs as root; VolumeGen runs it as 65532.
        var tenant = DockerEngine.NewTenant();
        var outcome = await Tools.Runner.RunToolAsync(Request(
            tenant,
            "for d in /outputs/quarantine /outputs/reports /outputs/reports/daily; do echo \"$d $(stat -c '%u:%g %a' $d) $(ls -A $d | wc -l)\"; done && " +
            "echo found > /outputs/quarantine/eicar.txt",
            new TextOutputDirectory("quarantine"),
            new TextOutputDirectory("reports/daily"),
            new TextOutputDirectory("unused", Optional: true)));

        Assert.Equal(
            "/outputs/quarantine 65532:65532 750 0\n/outputs/reports 65532:65532 750 1\n/outputs/reports/daily 65532:65532 750 0\n",
            outcome.Result.Stdout);
        Assert.Equal("found\n", outcome.Get(new TextOutputDirectory("quarantine"))!["eicar.txt"]);
        Assert.Empty(outcome.Get(new TextOutputDirectory("reports/daily"))!);
        Assert.Empty(outcome.Get(new TextOutputDirectory("unused"))!);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_required_folder_the_tool_removed_fails_the_run_and_an_optional_one_is_null()
    {
        var tenant = DockerEngine.NewTenant();
        var optional = await Tools.Runner.RunToolAsync(Request(tenant, "rm -r /outputs/reports", new TextOutputDirectory("reports", Optional: true)));
        Assert.Null(optional.Get(new TextOutputDirectory("reports")));

        await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => Tools.Runner.RunToolAsync(Request(tenant, "rm -r /outputs/reports", new TextOutputDirectory("reports"))));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task An_output_file_where_a_declared_folder_or_its_parent_will_be_is_refused_before_anything_exists()
    {
        var tenant = DockerEngine.NewTenant();
        foreach (var file in new[] { "reports", "reports/daily", "reports/daily/x" })
        {
            var request = Request(tenant, "true", new TextOutputDirectory("reports/daily"), new TextOutputFile(file));
            if (file == "reports/daily/x")
            {
                await Tools.Runner.RunToolAsync(Request(tenant, "true", new TextOutputDirectory("reports/daily"), new TextOutputFile(file, Optional: true))); // inside the folder: fine
                continue;
            }

            var error = await Assert.ThrowsAsync<VolumeValidationException>(() => Tools.Runner.RunToolAsync(request));
            Assert.Contains("exist as folders when the tool starts", error.Message);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Theory]
    [InlineData("ln -s /etc/passwd /outputs/reports/passwd", "symbolic link")]
    [InlineData("mkfifo /outputs/reports/pipe", "FIFO")]
    [InlineData("echo x > /outputs/reports/a && ln /outputs/reports/a /outputs/reports/b", "hard link")]
    public async Task A_link_or_special_file_anywhere_under_the_folder_fails_the_run(string plant, string kind)
    {
        var tenant = DockerEngine.NewTenant();
        var error = await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => Tools.Runner.RunToolAsync(
            Request(tenant, $"mkdir -p /outputs/reports/sub && echo ok > /outputs/reports/sub/fine.txt && {plant}", new TextOutputDirectory("reports"))));

        Assert.Equal(kind, error.EntryKind);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Theory]
    [InlineData("rm -r /outputs/reports && ln -s / /outputs/reports", "reports")] // the folder itself is a link out of the volume
    [InlineData("rm -r /outputs/sub && ln -s / /outputs/sub", "sub/data")] // a link out of the volume as a parent
    [InlineData("rm -r /outputs/reports && mkdir /outputs/real && echo x > /outputs/real/f && ln -s real /outputs/reports", "reports")] // a link inside the volume
    [InlineData("rm -r /outputs/out && mkdir -p /outputs/real/reports && echo in > /outputs/real/reports/f && ln -s real /outputs/out", "out/reports")] // ... as a parent
    [InlineData("rm -r /outputs/reports && echo x > /outputs/reports", "reports")] // a file where a folder was asked for
    public async Task A_folder_that_is_not_a_real_folder_is_refused(string plant, string folder)
    {
        // One archive of the whole output volume shows links as links on Docker and Podman alike
        // (Podman answers a path's own archive by following links inside the volume).
        var tenant = DockerEngine.NewTenant();
        await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => Tools.Runner.RunToolAsync(Request(tenant, plant, new TextOutputDirectory(folder))));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task The_file_count_and_byte_limits_hold_for_a_folder()
    {
        var tenant = DockerEngine.NewTenant();
        var options = new IsolatedVolumeOptions { MaxEntries = 5, MaxFileBytes = 1000, MaxTotalBytes = 2500 };
        var runner = Tools.Runner;

        var tooMany = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => runner.RunToolAsync(
            Request(tenant, "for i in 1 2 3 4 5 6; do echo $i > /outputs/r/$i; done", new TextOutputDirectory("r")) with { VolumeOptions = options }));
        Assert.Equal(nameof(IsolatedVolumeOptions.MaxEntries), tooMany.LimitName);

        var tooBig = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => runner.RunToolAsync(
            Request(tenant, "head -c 1001 /dev/zero > /outputs/r/big", new TextOutputDirectory("r")) with { VolumeOptions = options }));
        Assert.Equal(nameof(IsolatedVolumeOptions.MaxFileBytes), tooBig.LimitName);

        var tooMuch = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => runner.RunToolAsync(
            Request(tenant, "for i in 1 2 3; do head -c 900 /dev/zero > /outputs/r/$i; done", new TextOutputDirectory("r")) with { VolumeOptions = options }));
        Assert.Equal(nameof(IsolatedVolumeOptions.MaxTotalBytes), tooMuch.LimitName);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_volume_reads_one_folder_by_hand_with_the_same_rules()
    {
        var tenant = DockerEngine.NewTenant();
        await using (var outputs = new IsolatedContainerVolume(tenant, "by-hand"))
        {
            await outputs.InitializeAsync(new Dictionary<string, string>());
            var run = await Tools.RunScriptAsync(
                "mkdir -p /outputs/a/reports/deep /outputs/other && echo x > /outputs/a/reports/x && echo y > /outputs/a/reports/deep/y && echo no > /outputs/other/z && " +
                "mkdir /outputs/bad && ln -s /etc/passwd /outputs/bad/link",
                [outputs.GetVolumeConfig("/outputs", readOnly: false)]);
            Assert.Equal(0, run.ExitCode);

            var files = await outputs.ReadDirectoryAsync("a/reports");
            Assert.Equal(["deep/y", "x"], files.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("y\n"u8.ToArray(), files["deep/y"]);
            await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => outputs.ReadDirectoryAsync("bad"));
            await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => outputs.ReadDirectoryAsync("missing"));
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Bad_folder_requests_are_refused_before_anything_exists()
    {
        var tenant = DockerEngine.NewTenant();
        await Assert.ThrowsAsync<VolumeValidationException>(() => Tools.Runner.RunToolAsync(Request(tenant, "true", new TextOutputDirectory("../up"))));
        await Assert.ThrowsAsync<VolumeValidationException>(() => Tools.Runner.RunToolAsync(Request(tenant, "true", new TextOutputDirectory("r"), new TextOutputDirectory("r"))));
        await Assert.ThrowsAsync<ArgumentException>(() => Tools.Runner.RunToolAsync(Request(tenant, "true", new TextOutputDirectory("r"), new StreamOutputFile("r/s"))
            with { Destinations = new Dictionary<StreamOutputFile, Stream?> { [new("r/s")] = Stream.Null } })); // read once: not also inside a folder read whole
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
