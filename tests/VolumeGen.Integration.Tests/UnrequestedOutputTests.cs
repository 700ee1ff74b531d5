using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// A tool's bytes cost what they are worth: what it writes besides its outputs (a sparse terabyte,
/// tens of thousands of tiny files) costs the read-back at most MaxUnrequestedBytes before each output
/// is read through its own archive, and the whole read-back has a deadline however steadily bytes move.
/// </summary>
public class UnrequestedOutputTests
{
    private static ToolRunRequest Request(string tenant, string script, IsolatedVolumeOptions options) =>
        ScriptRequests.Script(tenant, "unrequested", script, TimeSpan.FromSeconds(120)) with { VolumeOptions = options };

    [Theory]
    // 0 bytes on disk; the old read streamed its zeros for minutes (16 GiB skip budget at ~65 MB/s here).
    [InlineData("truncate -s 1024G /outputs/aaa-sparse")]
    // 20,000 entries at 1 KiB each are past the 16 MiB budget; each output then has its own archive.
    [InlineData("mkdir /outputs/aaa-many && cd /outputs/aaa-many && seq 20000 | xargs touch")]
    // A deep tree of folders nobody asked for.
    [InlineData("cd /outputs && for i in $(seq 400); do mkdir aaa-$i && cd aaa-$i; done && truncate -s 100G deep")]
    public async Task Unrequested_content_beyond_the_budget_switches_to_one_archive_per_output_and_every_output_arrives(string junk)
    {
        var tenant = DockerEngine.NewTenant();
        using var logs = new RecordingLogs();
        using var copied = new MemoryStream();
        var request = Request(tenant,
            $"{junk} && mkdir -p /outputs/r/sub && echo a > /outputs/a.txt && echo s > /outputs/zzz.txt && echo y > /outputs/r/sub/y && echo x > /outputs/r/x",
            new IsolatedVolumeOptions { LoggerFactory = logs.Factory })
            .WithOutputs(new TextOutputFile("a.txt"), new StreamOutputFile("zzz.txt"), new TextOutputFile("r/x"), new TextOutputFile("missing.txt", Optional: true), new TextOutputDirectory("r")) with
        {
            Destinations = new Dictionary<StreamOutputFile, Stream?> { [new("zzz.txt")] = copied },
        };

        var outcome = await Tools.Runner.RunToolAsync(request);

        Assert.Equal(("a\n", "s\n", "x\n"), (outcome.Get(new TextOutputFile("a.txt")), System.Text.Encoding.UTF8.GetString(copied.ToArray()), outcome.Get(new TextOutputFile("r/x"))));
        Assert.Equal(["sub/y", "x"], outcome.Get(new TextOutputDirectory("r"))!.Keys.Order(StringComparer.Ordinal));
        Assert.Null(outcome.Get(new TextOutputFile("missing.txt")));
        Assert.Contains(logs.Messages, m => m.Contains("holds more than the requested outputs", StringComparison.Ordinal));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_required_output_missing_after_the_switch_still_fails_the_run_and_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        var request = Request(tenant, "truncate -s 1024G /outputs/aaa-sparse", new IsolatedVolumeOptions()).WithOutputs(new TextOutputFile("sub/result.txt"));

        var error = await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => Tools.Runner.RunToolAsync(request));

        Assert.Equal("sub/result.txt", error.FileName);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Only_what_was_asked_for_stays_one_read_without_the_switch()
    {
        var tenant = DockerEngine.NewTenant();
        using var logs = new RecordingLogs();
        var request = Request(tenant, "head -c 1000000 /dev/zero > /outputs/aaa-small-junk && echo a > /outputs/a.txt", new IsolatedVolumeOptions { LoggerFactory = logs.Factory })
            .WithOutputs(new TextOutputFile("a.txt"));

        Assert.Equal("a\n", (await Tools.Runner.RunToolAsync(request)).Get(new TextOutputFile("a.txt")));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("holds more than the requested outputs", StringComparison.Ordinal));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_read_back_that_keeps_moving_still_ends_at_its_deadline_and_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        // A requested 8 GiB sparse stream: bytes move all the time, so only the deadline ends it
        // (here ~65 MB/s: about two minutes of zeros; the deadline is 2 s).
        var request = Request(tenant, "truncate -s 8G /outputs/big.bin", new IsolatedVolumeOptions { StageOutTimeout = TimeSpan.FromSeconds(2) })
            .WithOutputs(new StreamOutputFile("big.bin")) with
        {
            Destinations = new Dictionary<StreamOutputFile, Stream?> { [new("big.bin")] = Stream.Null },
        };

        var error = await Assert.ThrowsAsync<VolumeStageOutTimeoutException>(() => Tools.Runner.RunToolAsync(request));

        Assert.Equal(TimeSpan.FromSeconds(2), error.Timeout);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
