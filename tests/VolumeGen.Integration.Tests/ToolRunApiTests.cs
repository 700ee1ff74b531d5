using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// The runtime's whole-run API (<see cref="ContainerToolRunner.RunToolAsync"/>) against the real
/// engine: files in, outputs back (all or none), and nothing left on any path.
/// </summary>
public class ToolRunApiTests
{
    private static ToolRunRequest Request(string tenant, string script) => ScriptRequests.Script(tenant, "api", script);

    [Fact]
    public async Task A_run_writes_its_inputs_reads_every_output_and_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        TextOutputFile results = new("results.txt"), status = new("sub/status"), missingText = new("missing.txt", Optional: true);
        BytesOutputFile raw = new("raw.bin"), missingBytes = new("missing.bin", Optional: true);
        var request = Request(tenant, "id -u; sort -u /inputs/domains.txt > /outputs/results.txt && printf '\\000\\001\\377' > /outputs/raw.bin && mkdir /outputs/sub && echo ok > /outputs/sub/status")
            .WithOutputs(results, raw, status, missingText, missingBytes) with
        {
            Inputs = [VolumeFile.FromText("domains.txt", "b.example\na.example\nb.example\n")],
        };

        var outcome = await Tools.Runner.RunToolAsync(request);

        Assert.Equal((0L, "65532\n"), (outcome.Result.ExitCode, outcome.Result.Stdout)); // the image runs as root: VolumeGen runs it as 65532
        Assert.Equal("a.example\nb.example\n", outcome.Get(results));
        Assert.Equal(new byte[] { 0, 1, 255 }, outcome.Get(raw));
        Assert.Equal("ok\n", outcome.Get(status));
        Assert.Null(outcome.Get(missingText));
        Assert.Null(outcome.Get(missingBytes));
        Assert.Throws<KeyNotFoundException>(() => outcome.Get(new BytesOutputFile("results.txt"))); // asked for as text
        Assert.Throws<KeyNotFoundException>(() => outcome.Get(new TextOutputFile("never-requested.txt")));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_stream_output_is_copied_into_the_callers_destination()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        using var destination = new MemoryStream();
        StreamOutputFile big = new("big.txt"), none = new("none.bin", Optional: true);
        var request = Request(tenant, "head -c 3000000 /dev/zero | tr '\\000' 'x' > /outputs/big.txt").WithOutputs(big, none) with
        {
            Destinations = new Dictionary<StreamOutputFile, Stream?> { [big] = destination, [none] = Stream.Null },
        };

        var outcome = await Tools.Runner.RunToolAsync(request);

        Assert.Equal(3_000_000, destination.Length);
        Assert.Same(destination, outcome.Get(big));
        Assert.Null(outcome.Get(none));
        await Assert.ThrowsAsync<ArgumentException>(() => Tools.Runner.RunToolAsync(request with { Destinations = null }));
        var optionalBig = big with { Optional = true };
        var notWanted = await Tools.Runner.RunToolAsync(request.WithOutputs(optionalBig) with { Destinations = null });
        Assert.Null(notWanted.Get(optionalBig)); // optional without a destination: not read
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_missing_required_output_fails_the_run_and_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var request = Request(tenant, "echo partial > /outputs/a.txt").WithOutputs(new TextOutputFile("a.txt"), new TextOutputFile("b.txt"));

        await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => Tools.Runner.RunToolAsync(request));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_failing_tool_fails_the_run_unless_non_zero_exits_are_allowed()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var report = new TextOutputFile("report.txt");
        var request = Request(tenant, "echo found > /outputs/report.txt; exit 3").WithOutputs(report);

        var failed = await Assert.ThrowsAsync<ContainerToolFailedException>(() => Tools.Runner.RunToolAsync(request));
        Assert.Equal(3L, failed.ExitCode);
        var allowed = await Tools.Runner.RunToolAsync(request.WithDefinition(d => d with { AllowNonZeroExit = true }));
        Assert.Equal(3L, allowed.Result.ExitCode);
        Assert.Equal("found\n", allowed.Get(report));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Theory]
    [InlineData("output name")]
    [InlineData("nested mounts")]
    [InlineData("reserved mount")]
    [InlineData("duplicate output")]
    [InlineData("own mounts")]
    [InlineData("tenant in the definition")]
    [InlineData("no run")]
    public async Task A_bad_request_is_refused_before_anything_exists(string problem)
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var request = Request(tenant, "true").WithOutputs(new TextOutputFile("b.txt")) with { Inputs = [VolumeFile.FromText("a.txt", "a")] };
        request = problem switch
        {
            "output name" => request.WithOutputs(new TextOutputFile("../b.txt")),
            "nested mounts" => request.WithDefinition(d => d with { InputMount = "/data", OutputMount = "/data/out" }),
            "reserved mount" => request.WithDefinition(d => d with { OutputMount = "/tmp" }),
            "duplicate output" => request.WithOutputs(new TextOutputFile("b.txt"), new BytesOutputFile("b.txt")),
            "own mounts" => request.WithTool(t => t with { Mounts = [new VolumeMount("other", "/other", true)] }),
            "tenant in the definition" => request.WithTool(t => t with { TenantId = tenant }),
            _ => request with { RunId = null! },
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Tools.Runner.RunToolAsync(request));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Cancellation_while_the_tool_runs_removes_everything()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var request = Request(tenant, "sleep 60").WithOutputs(new TextOutputFile("b.txt")) with { Inputs = [VolumeFile.FromText("a.txt", "a")] };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Tools.Runner.RunToolAsync(request, cancel.Token));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
