using VolumeGen.Engine;
using Xunit;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// What <see cref="ContainerToolRunner.RunToolAsync"/> guarantees on any backend, checked through the
/// seam with a backend that only records the steps it is asked for (no engine stands in here: the
/// Docker backend is tested against real engines in the integration suite, with the same request
/// shapes). A second backend, such as a Kubernetes one, gets these guarantees for free.
/// </summary>
public sealed class BackendSeamTests
{
    private static readonly ToolRunSpec Tool = new("tools/scan:1");

    private static readonly TextOutputFile Out = new("out.txt");

    [Fact]
    public async Task A_successful_run_takes_the_steps_in_order_and_releases_once()
    {
        var backend = new RecordingBackend();
        var outcome = await Runner(backend).RunToolAsync(Request());

        Assert.Equal(["prepare", "run", "stage-out", "release(ok)"], backend.Steps);
        Assert.Equal("found", outcome.Get(Out));
        Assert.Throws<KeyNotFoundException>(() => outcome.Get(new BytesOutputFile("out.txt")));
    }

    [Fact]
    public async Task A_non_zero_exit_fails_before_any_output_is_read_and_still_releases()
    {
        var backend = new RecordingBackend { ExitCode = 3 };
        var error = await Assert.ThrowsAsync<ContainerToolFailedException>(() => Runner(backend).RunToolAsync(Request()));

        Assert.Equal(["prepare", "run", "release(ContainerToolFailedException)"], backend.Steps);
        Assert.Same(error, backend.ReleasedWith);
    }

    [Fact]
    public async Task A_non_zero_exit_that_is_allowed_reads_the_outputs()
    {
        var backend = new RecordingBackend { ExitCode = 3 };
        var outcome = await Runner(backend).RunToolAsync(Request(Definition() with { AllowNonZeroExit = true }));

        Assert.Equal(3, outcome.Result.ExitCode);
        Assert.Contains("stage-out", backend.Steps);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("stage-out")]
    public async Task A_failing_step_releases_with_that_failure(string failingStep)
    {
        var backend = new RecordingBackend { FailAt = failingStep };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(backend).RunToolAsync(Request()));

        Assert.Equal("release(InvalidOperationException)", backend.Steps[^1]);
        Assert.Same(error, backend.ReleasedWith);
    }

    [Fact]
    public async Task Cancellation_during_the_run_releases_everything()
    {
        using var cancellation = new CancellationTokenSource();
        var backend = new RecordingBackend { DuringRun = cancellation.Cancel };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(backend).RunToolAsync(Request(), cancellation.Token));

        Assert.StartsWith("release(", backend.Steps[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("stage-out", backend.Steps);
    }

    [Fact]
    public async Task A_failed_prepare_runs_nothing_and_leaves_its_own_release_to_the_backend()
    {
        var backend = new RecordingBackend { FailAt = "prepare" };
        await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(backend).RunToolAsync(Request()));

        Assert.Equal(["prepare"], backend.Steps);
    }

    [Fact]
    public async Task A_bad_request_never_reaches_the_backend()
    {
        var backend = new RecordingBackend();
        await Assert.ThrowsAsync<VolumeValidationException>(() => Runner(backend).RunToolAsync(
            Request(Definition() with { Outputs = [new TextOutputFile("../escape.txt")] })));

        Assert.Empty(backend.Steps);
    }

    [Fact]
    public async Task What_a_run_brings_is_checked_against_its_definition_before_the_backend()
    {
        var backend = new RecordingBackend();
        var stream = new StreamOutputFile("capture.pcap");
        // A definition is every tenant's; a destination for an output the definition does not read; a variable set twice.
        await Assert.ThrowsAsync<ArgumentException>(() => Runner(backend).RunToolAsync(Request(Definition() with { Tool = Tool with { TenantId = "acme" } })));
        await Assert.ThrowsAsync<ArgumentException>(() => Runner(backend).RunToolAsync(Request() with { Destinations = new Dictionary<StreamOutputFile, Stream?> { [stream] = Stream.Null } }));
        await Assert.ThrowsAsync<ArgumentException>(() => Runner(backend).RunToolAsync(Request(Definition() with { Outputs = [Out, stream] })));
        await Assert.ThrowsAsync<ArgumentException>(() => Runner(backend).RunToolAsync(
            Request(Definition() with { Tool = Tool with { Environment = new Dictionary<string, string> { ["MODE"] = "fast" } } }) with { Environment = new ToolEnvironment { { "MODE", "slow" } } }));
        await Assert.ThrowsAsync<VolumeValidationException>(() => Runner(backend).RunToolAsync(Request(Definition() with { Outputs = [Out, new BytesOutputFile("out.txt")] })));

        Assert.Empty(backend.Steps);
    }

    [Fact]
    public async Task The_tool_runs_with_the_runs_tenant_arguments_and_environment_added_to_its_definition()
    {
        var backend = new RecordingBackend();
        var definition = Definition() with { Tool = Tool with { Command = ["--all"], Environment = new Dictionary<string, string> { ["MODE"] = "fast" } } };
        await Runner(backend).RunToolAsync(Request(definition) with { Command = ["--one"], Environment = new ToolEnvironment { { "DEPTH", 2 } } });

        var ran = Assert.Single(backend.Ran);
        Assert.Equal(("acme", "r1"), (ran.TenantId, ran.RunId));
        Assert.Equal(["--one"], ran.Command!);
        Assert.Equal(new Dictionary<string, string> { ["MODE"] = "fast", ["DEPTH"] = "2" }, ran.Environment);
    }

    [Fact]
    public async Task A_tool_that_would_switch_a_protection_off_never_reaches_the_backend()
    {
        // Checked with the request, not when the container is created: no volume exists for a tool that cannot run.
        var backend = new RecordingBackend();
        await Assert.ThrowsAsync<UnsafeToolSpecException>(() => Runner(backend).RunToolAsync(Request(Definition() with { Tool = Tool with { PidsLimit = 0 } })));
        await Assert.ThrowsAsync<VolumeValidationException>(() => Runner(backend).RunToolAsync(Request(Definition() with { InputMount = "/in:rw" })));

        Assert.Empty(backend.Steps);
    }

    [Fact]
    public async Task A_contexts_ConfigureTool_sees_the_tool_as_the_run_starts_it_and_cannot_move_it_to_another_tenant()
    {
        var backend = new RecordingBackend();
        ToolRunSpec? seen = null;
        var context = new ToolRunContext("acme", "r1")
        {
            Runner = Runner(backend),
            ConfigureTool = t => (seen = t) with { PidsLimit = 64 },
        };
        await context.RunAsync(Request() with { Environment = new ToolEnvironment { { "DEPTH", 2 } } });

        Assert.Equal(("acme", "r1", "2"), (seen!.TenantId, seen.RunId, seen.Environment!["DEPTH"]));
        var ran = Assert.Single(backend.Ran);
        Assert.Equal((64L, "acme", "2"), (ran.PidsLimit, ran.TenantId, ran.Environment!["DEPTH"])); // the run's values once, not twice

        var moving = context with { ConfigureTool = t => t with { TenantId = "other" } };
        await Assert.ThrowsAsync<ArgumentException>(() => moving.RunAsync(Request()));
        var namingTenant = Request(Definition() with { Tool = Tool with { TenantId = "acme" } });
        await Assert.ThrowsAsync<ArgumentException>(() => context.RunAsync(namingTenant)); // still refused with a ConfigureTool
        Assert.Single(backend.Ran);
    }

    [Fact]
    public void A_runner_on_plain_connection_options_makes_its_volumes_on_the_same_engine()
    {
        // Every setting of the connection is carried over: a property added to DockerConnectionOptions must be copied too.
        var connection = new DockerConnectionOptions();
        foreach (var property in typeof(DockerConnectionOptions).GetProperties().Where(p => p.CanWrite))
        {
            property.SetValue(connection, property.PropertyType switch
            {
                var t when t == typeof(Uri) => new Uri("tcp://engine.example:2376"),
                var t when t == typeof(string) => "set",
                var t when t == typeof(bool) || t == typeof(bool?) => !(bool)(property.GetValue(connection) ?? false),
                var t when t == typeof(TimeSpan) => TimeSpan.FromSeconds(7),
                var t when t == typeof(ImagePullPolicy) => ImagePullPolicy.Never,
                var t when t == typeof(IReadOnlyDictionary<string, RegistryCredential>) => new Dictionary<string, RegistryCredential>(),
                var t when t == typeof(Microsoft.Extensions.Logging.ILoggerFactory) => Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
                var t when t == typeof(System.Diagnostics.Metrics.IMeterFactory) => new OneMeterFactory(),
                var t when t == typeof(Docker.DotNet.IDockerClient) => new Docker.DotNet.DockerClientBuilder().WithEndpoint(new Uri("tcp://engine.example:2376")).Build(),
                var t => throw new InvalidOperationException($"The test does not know how to set {property.Name} ({t})."),
            });
        }

        var volumes = IsolatedVolumeOptions.On(connection);

        Assert.All(typeof(DockerConnectionOptions).GetProperties().Where(p => p.CanWrite), p => Assert.Equal(p.GetValue(connection), p.GetValue(volumes)));
        var given = new IsolatedVolumeOptions { MaxEntries = 3 };
        Assert.Same(given, IsolatedVolumeOptions.On(given));
    }

    private sealed class OneMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task A_pipeline_whose_steps_cannot_all_be_released_reports_every_failure_together()
    {
        var backend = new RecordingBackend { FailFinalRelease = true };
        var pipeline = new ToolPipeline(Runner(backend), "acme", "r1");
        await pipeline.RunAsync(Request());
        await pipeline.RunAsync(Request());

        var error = await Assert.ThrowsAsync<VolumeCleanupException>(async () => await pipeline.DisposeAsync());

        var attached = VolumeCleanup.GetFailures(error);
        Assert.Equal(["step-1", "step-2"], new[] { error }.Concat(attached).Select(e => ((VolumeCleanupException)e).VolumeName).Order());
    }

    private static ContainerToolRunner Runner(IToolRunBackend backend) => new(options: null, backend);

    private static ToolDefinition Definition() => new(Tool) { Outputs = [Out] };

    private static ToolRunRequest Request(ToolDefinition? definition = null) => new(definition ?? Definition(), "acme", "r1")
    {
        Inputs = [VolumeFile.FromText("in.txt", "example.com")],
    };

    private sealed class RecordingBackend : IToolRunBackend, IToolRunWorkspace
    {
        public List<string> Steps { get; } = [];

        public long ExitCode { get; init; }

        public string? FailAt { get; init; }

        public Action? DuringRun { get; init; }

        public Exception? ReleasedWith { get; private set; }

        /// <summary>The tools as the runner handed them to the workspace.</summary>
        public List<ToolRunSpec> Ran { get; } = [];

        /// <summary>A pipeline's final release (outputs no longer kept) fails, once per step, each with its own volume.</summary>
        public bool FailFinalRelease { get; init; }

        private int _failedReleases;

        public ToolUser Owner => ToolUser.NonRoot;

        public async Task<IToolRunWorkspace> PrepareAsync(ToolRunRequest request, ToolRunSpec tool, IToolRunWorkspace? inputFrom, CancellationToken cancellationToken) =>
            await Step<IToolRunWorkspace>("prepare", this);

        public Task<ToolRunResult> RunAsync(ToolRunSpec tool, CancellationToken cancellationToken)
        {
            Ran.Add(tool);
            DuringRun?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            return Step("run", new ToolRunResult(ExitCode, "", "", false, false, TimeSpan.FromSeconds(1)));
        }

        public Task<IReadOnlyDictionary<ToolOutput, object?>> StageOutAsync(IReadOnlyList<ToolOutput> requested, Func<StreamOutputFile, Stream?> destinationOf, CancellationToken cancellationToken) =>
            Step<IReadOnlyDictionary<ToolOutput, object?>>("stage-out", requested.ToDictionary(o => o, _ => (object?)"found"));

        public Task ReleaseAsync(Exception? runFailure, bool keepOutputs = false)
        {
            ReleasedWith = runFailure;
            Steps.Add($"release({runFailure?.GetType().Name ?? "ok"})");
            return FailFinalRelease && !keepOutputs
                ? Task.FromException(new VolumeCleanupException($"step-{++_failedReleases}", 5, new IOException("daemon gone")))
                : Task.CompletedTask;
        }

        private Task<T> Step<T>(string name, T value)
        {
            Steps.Add(name);
            return FailAt == name ? Task.FromException<T>(new InvalidOperationException($"{name} failed")) : Task.FromResult(value);
        }
    }
}
