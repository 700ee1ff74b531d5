using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// The runtime's whole-run API (<see cref="ContainerToolRunner.RunToolAsync"/>) against the real
/// engine: files in, outputs back (all or none), and nothing left on any path.
/// </summary>
public class ToolRunApiTests
{
    private static ToolRunRequest Request(string tenant, string script) => Tools.ScriptRequest(tenant, "api", script);

    [Fact]
    public async Task A_run_writes_its_inputs_reads_every_output_and_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var request = Request(tenant, "id -u; sort -u /inputs/domains.txt > /outputs/results.txt && printf '\\000\\001\\377' > /outputs/raw.bin && mkdir /outputs/sub && echo ok > /outputs/sub/status") with
        {
            Inputs = [VolumeFile.FromText("domains.txt", "b.example\na.example\nb.example\n")],
            Outputs =
            [
                new ToolOutputFile("results.txt"), new ToolOutputFile("raw.bin", ToolOutputKind.Bytes), new ToolOutputFile("sub/status"),
                new ToolOutputFile("missing.txt", Optional: true), new ToolOutputFile("missing.bin", ToolOutputKind.Bytes, Optional: true),
            ],
        };

        var outcome = await Tools.Runner.RunToolAsync(request);

        Assert.Equal((0L, "65532\n"), (outcome.Result.ExitCode, outcome.Result.Stdout)); // the image runs as root: VolumeGen runs it as 65532
        Assert.Equal("a.example\nb.example\n", outcome.Text("results.txt"));
        Assert.Equal(new byte[] { 0, 1, 255 }, outcome.Bytes("raw.bin"));
        Assert.Equal("ok\n", outcome.Text("sub/status"));
        Assert.Null(outcome.Text("missing.txt"));
        Assert.Null(outcome.Bytes("missing.bin"));
        Assert.Throws<KeyNotFoundException>(() => outcome.Bytes("results.txt")); // asked for as text
        Assert.Throws<KeyNotFoundException>(() => outcome.Text("never-requested.txt"));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_stream_output_is_copied_into_the_callers_destination()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        using var destination = new MemoryStream();
        var request = Request(tenant, "head -c 3000000 /dev/zero | tr '\\000' 'x' > /outputs/big.txt") with
        {
            Outputs = [new ToolOutputFile("big.txt", ToolOutputKind.Stream) { Destination = destination }, new ToolOutputFile("none.bin", ToolOutputKind.Stream, Optional: true) { Destination = Stream.Null }],
        };

        var outcome = await Tools.Runner.RunToolAsync(request);

        Assert.Equal(3_000_000, destination.Length);
        Assert.True(outcome.Copied("big.txt"));
        Assert.False(outcome.Copied("none.bin"));
        await Assert.ThrowsAsync<ArgumentException>(() => Tools.Runner.RunToolAsync(request with { Outputs = [new ToolOutputFile("big.txt", ToolOutputKind.Stream)] }));
        var notWanted = await Tools.Runner.RunToolAsync(request with { Outputs = [new ToolOutputFile("big.txt", ToolOutputKind.Stream, Optional: true)] });
        Assert.False(notWanted.Copied("big.txt")); // optional without a destination: not read
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_missing_required_output_fails_the_run_and_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var request = Request(tenant, "echo partial > /outputs/a.txt") with { Outputs = [new ToolOutputFile("a.txt"), new ToolOutputFile("b.txt")] };

        await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => Tools.Runner.RunToolAsync(request));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_failing_tool_fails_the_run_unless_non_zero_exits_are_allowed()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var request = Request(tenant, "echo found > /outputs/report.txt; exit 3") with { Outputs = [new ToolOutputFile("report.txt")] };

        var failed = await Assert.ThrowsAsync<ContainerToolFailedException>(() => Tools.Runner.RunToolAsync(request));
        Assert.Equal(3L, failed.ExitCode);
        var allowed = await Tools.Runner.RunToolAsync(request with { AllowNonZeroExit = true });
        Assert.Equal(3L, allowed.Result.ExitCode);
        Assert.Equal("found\n", allowed.Text("report.txt"));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Theory]
    [InlineData("output name")]
    [InlineData("nested mounts")]
    [InlineData("reserved mount")]
    [InlineData("duplicate output")]
    [InlineData("own mounts")]
    [InlineData("no run")]
    public async Task A_bad_request_is_refused_before_anything_exists(string problem)
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var request = Request(tenant, "true") with { Inputs = [VolumeFile.FromText("a.txt", "a")], Outputs = [new ToolOutputFile("b.txt")] };
        request = problem switch
        {
            "output name" => request with { Outputs = [new ToolOutputFile("../b.txt")] },
            "nested mounts" => request with { InputMount = "/data", OutputMount = "/data/out" },
            "reserved mount" => request with { OutputMount = "/tmp" },
            "duplicate output" => request with { Outputs = [new ToolOutputFile("b.txt"), new ToolOutputFile("b.txt", ToolOutputKind.Bytes)] },
            "own mounts" => request with { Tool = request.Tool with { Mounts = [new VolumeMount("other", "/other", true)] } },
            _ => request with { Tool = request.Tool with { RunId = null } },
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Tools.Runner.RunToolAsync(request));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Cancellation_while_the_tool_runs_removes_everything()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var request = Request(tenant, "sleep 60") with { Inputs = [VolumeFile.FromText("a.txt", "a")], Outputs = [new ToolOutputFile("b.txt")] };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Tools.Runner.RunToolAsync(request, cancel.Token));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
