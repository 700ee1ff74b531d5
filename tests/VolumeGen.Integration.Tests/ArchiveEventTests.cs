namespace VolumeGen.Integration.Tests;

/// <summary>
/// The archive endpoints are where the 2026 CVEs were (compressed uploads decompressed with the
/// container's own binaries; a running container racing the mount during a copy). The engine's own
/// event log shows that VolumeGen only ever copies through never-started helpers, never through a
/// tool container.
/// </summary>
public class ArchiveEventTests
{
    [Fact]
    public async Task Every_archive_request_of_generated_runs_targets_a_never_started_helper()
    {
        var tenant = DockerEngine.NewTenant("ev");
        var since = EngineEvents.Now();

        await new SortUniqueTool { Domains = "b\na\n" }.RunAsync(new ToolRunContext(tenant, "wf-1"));
        var kinds = new CopyAllKindsTool { Text = "t", Bytes = [1], Memory = new byte[] { 2 }, Stream = new MemoryStream([3]) };
        await kinds.RunAsync(new ToolRunContext(tenant, "wf-2"));

        var events = await EngineEvents.OfTenantAsync(tenant, since);
        var archive = events.Where(e => e.Action is "archive-path" or "extract-to-dir").ToList();
        Assert.Contains(archive, e => e.Action == "extract-to-dir"); // the uploads
        Assert.Contains(archive, e => e.Action == "archive-path");   // the downloads
        var started = events.Where(e => e.Action == "start").Select(e => e.Actor.ID).ToHashSet();
        Assert.NotEmpty(started); // the tools did start: the check below has something to tell apart
        Assert.All(archive, e =>
        {
            Assert.Contains(e.Actor.Attributes!["io.volumegen.role"], new[] { "helper", "probe" }); // both never started
            Assert.DoesNotContain(e.Actor.ID, started);
        });
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
