using System.Diagnostics;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// A run's outputs come back in one archive request of the output volume: what was asked for is
/// taken with every rule of the single reads, what the tool wrote besides is streamed past.
/// </summary>
public class OneReadPerRunTests
{
    private static ToolRunRequest Request(string tenant, string script) => ScriptRequests.Script(tenant, "one", script);

    [Fact]
    public async Task Every_output_of_a_run_comes_from_one_read_and_whatever_else_the_tool_wrote_is_skipped()
    {
        var tenant = DockerEngine.NewTenant();
        using var reads = new SpanCounter("volume.read", tenant);
        using var copied = new MemoryStream();
        var request = Request(tenant,
            "mkdir -p /outputs/r/sub /outputs/junk && echo a > /outputs/a.txt && printf '\\001' > /outputs/b.bin && echo s > /outputs/s.txt && " +
            "echo x > /outputs/r/x && echo y > /outputs/r/sub/y && " +
            // besides the outputs: links, a FIFO, a large file, a link out of the volume; none is read
            "ln -s /etc/passwd /outputs/junk/link && mkfifo /outputs/junk/fifo && head -c 3000000 /dev/zero > /outputs/junk/big && ln -s / /outputs/escape")
            .WithOutputs(new TextOutputFile("a.txt"), new BytesOutputFile("b.bin"), new StreamOutputFile("s.txt"), new TextOutputFile("r/x"), new TextOutputFile("missing.txt", Optional: true), new TextOutputDirectory("r")) with
        {
            Destinations = new Dictionary<StreamOutputFile, Stream?> { [new("s.txt")] = copied },
        };

        var outcome = await Tools.Runner.RunToolAsync(request);

        Assert.Equal(1, reads.Count);
        Assert.Equal(("a\n", "s\n", "x\n"), (outcome.Get(new TextOutputFile("a.txt")), System.Text.Encoding.UTF8.GetString(copied.ToArray()), outcome.Get(new TextOutputFile("r/x"))));
        Assert.Equal(new byte[] { 1 }, outcome.Get(new BytesOutputFile("b.bin")));
        Assert.Equal(["sub/y", "x"], outcome.Get(new TextOutputDirectory("r"))!.Keys.Order(StringComparer.Ordinal)); // r/x is in its folder too
        Assert.Null(outcome.Get(new TextOutputFile("missing.txt")));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Theory]
    [InlineData("ln -s /etc/passwd /outputs/result", "result", "symbolic link")]
    [InlineData("mkfifo /outputs/result", "result", "FIFO")]
    [InlineData("mkdir /outputs/result", "result", "directory")]
    [InlineData("echo x > /outputs/a && ln /outputs/a /outputs/result", "result", "hard link")]
    [InlineData("ln -s / /outputs/sub", "sub/etc/passwd", "path whose parent 'sub' is a symbolic link")]
    [InlineData("echo x > /outputs/sub", "sub/result", "path whose parent 'sub' is a regular file")]
    public async Task A_requested_output_that_is_not_a_regular_file_fails_the_run(string script, string output, string kind)
    {
        var tenant = DockerEngine.NewTenant();
        var error = await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => Tools.Runner.RunToolAsync(Request(tenant, script).WithOutputs(new TextOutputFile(output))));

        Assert.Equal((output, kind), (error.FileName, error.EntryKind));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task The_limits_of_single_reads_hold_in_the_one_read()
    {
        var tenant = DockerEngine.NewTenant();
        var options = new IsolatedVolumeOptions { MaxFileBytes = 1000, MaxTotalBytes = 1500, MaxStreamedFileBytes = 5000, MaxUnrequestedBytes = 5000 };

        var tooBig = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => Tools.Runner.RunToolAsync(
            Request(tenant, "head -c 1001 /dev/zero > /outputs/a").WithOutputs(new TextOutputFile("a")) with { VolumeOptions = options }));
        Assert.Equal(nameof(IsolatedVolumeOptions.MaxFileBytes), tooBig.LimitName);

        var tooMuchText = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => Tools.Runner.RunToolAsync(
            Request(tenant, "head -c 800 /dev/zero > /outputs/a && head -c 800 /dev/zero > /outputs/b").WithOutputs(new TextOutputFile("a"), new TextOutputFile("b")) with { VolumeOptions = options }));
        Assert.Equal(nameof(IsolatedVolumeOptions.MaxTotalBytes), tooMuchText.LimitName);

        // Bytes outputs are bounded per file, as when each was read on its own.
        var bytes = await Tools.Runner.RunToolAsync(
            Request(tenant, "head -c 800 /dev/zero > /outputs/a && head -c 800 /dev/zero > /outputs/b").WithOutputs(new BytesOutputFile("a"), new BytesOutputFile("b")) with { VolumeOptions = options });
        Assert.Equal(800, bytes.Get(new BytesOutputFile("b"))!.Length);

        // What nobody asked for is streamed past up to MaxUnrequestedBytes; past it, the output comes through its own archive
        // (before "junk" in the whole archive or after it), with the same limits.
        foreach (var output in new[] { "a", "z" })
        {
            var past = await Tools.Runner.RunToolAsync(
                Request(tenant, $"echo ok > /outputs/{output} && head -c 6000 /dev/zero > /outputs/junk").WithOutputs(new TextOutputFile(output)) with { VolumeOptions = options });
            Assert.Equal("ok\n", past.Get(new TextOutputFile(output)));
            var tooBigAlone = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => Tools.Runner.RunToolAsync(
                Request(tenant, $"head -c 1001 /dev/zero > /outputs/{output} && head -c 6000 /dev/zero > /outputs/junk").WithOutputs(new TextOutputFile(output)) with { VolumeOptions = options }));
            Assert.Equal(nameof(IsolatedVolumeOptions.MaxFileBytes), tooBigAlone.LimitName);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    /// <summary>Counts VolumeGen's spans of one name on the volumes of one tenant (other tests run alongside).</summary>
    private sealed class SpanCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private int _count;

        public SpanCounter(string operation, string tenant)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == VolumeGenTelemetry.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.OperationName == operation && activity.GetTagItem("volumegen.volume") is string volume && volume.StartsWith($"tenant-{tenant}-", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
