using System.IO.Compression;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// A run's input and output volumes are created and filled through one never-started helper (one
/// upload on Docker), and the same helper reads the outputs back: the engine's event log shows it.
/// </summary>
public class OneHelperPerRunTests
{
    private static ToolRunRequest Request(string tenant, params VolumeFile[] inputs) =>
        ScriptRequests.Script(tenant, "one-helper", "sort /inputs/d/in.txt > /outputs/out.txt").WithOutputs(new TextOutputFile("out.txt")) with { Inputs = inputs };

    [Fact]
    public async Task A_run_fills_and_reads_both_of_its_volumes_through_one_helper()
    {
        var tenant = DockerEngine.NewTenant("oh");
        var since = EngineEvents.Now();

        var outcome = await Tools.Runner.RunToolAsync(Request(tenant, VolumeFile.FromText("d/in.txt", "b\na\n")));

        Assert.Equal("a\nb\n", outcome.Get(new TextOutputFile("out.txt")));
        var events = await EngineEvents.OfTenantAsync(tenant, since);
        var helpers = events.Where(e => e.Action == "create" && e.Actor.Attributes!["io.volumegen.role"] == "helper").Select(e => e.Actor.ID).ToList();
        var helper = Assert.Single(helpers);
        Assert.Contains(events, e => e.Action is "destroy" or "remove" && e.Actor.ID == helper);
        if (!await DockerEngine.IsPodmanAsync())
        {
            // Docker logs each archive request (Podman 4.3 logs none): one upload fills both volumes
            // (Podman needs one per volume, see EngineProfile), and the reads go to the same helper.
            var uploads = events.Where(e => e.Action == "extract-to-dir").ToList();
            var reads = events.Where(e => e.Action == "archive-path").ToList();
            Assert.Single(uploads);
            Assert.NotEmpty(reads);
            Assert.All(uploads.Concat(reads), e => Assert.Equal(helper, e.Actor.ID));
        }
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_run_whose_input_is_a_stream_of_unknown_length_gets_it_whole()
    {
        var tenant = DockerEngine.NewTenant("oh");
        var lines = string.Concat(Enumerable.Range(0, 20000).Select(i => $"host{19999 - i:D5}.example\n"));
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes(lines));
        }

        compressed.Position = 0;
        // Not seekable, no length: spooled first, then both volumes filled through the one helper.
        await using var unknownLength = new GZipStream(compressed, CompressionMode.Decompress);

        var outcome = await Tools.Runner.RunToolAsync(Request(tenant, VolumeFile.FromStream("d/in.txt", unknownLength)));

        Assert.Equal(string.Concat(lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).Select(l => l + "\n")), outcome.Get(new TextOutputFile("out.txt")));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task An_upload_that_breaks_after_both_volumes_exist_leaves_neither_nor_the_helper()
    {
        var tenant = DockerEngine.NewTenant("oh");
        var since = EngineEvents.Now();
        // Shorter than it says: the archive breaks mid-upload, after both volumes and the helper were created.
        var broken = VolumeFile.FromStream("d/in.txt", new MemoryStream(new byte[10]), length: 1000);

        await Assert.ThrowsAsync<IOException>(() => Tools.Runner.RunToolAsync(Request(tenant, broken)));

        var events = await EngineEvents.OfTenantAsync(tenant, since);
        var helper = Assert.Single(events, e => e.Action == "create" && e.Actor.Attributes!["io.volumegen.role"] == "helper").Actor.ID;
        Assert.Contains(events, e => e.Action is "destroy" or "remove" && e.Actor.ID == helper);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
