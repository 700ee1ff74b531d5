using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VolumeGen.Hosting;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// A warm-up given a worker's tools looks up their users then, so that each tool's first job starts
/// without the lookup's probe container. Each test uses an image made for it alone: the lookup is
/// cached per image for the process, and another test's run must not have looked it up already.
/// </summary>
public class WarmUpTests
{
    [Fact]
    public async Task A_tool_given_to_the_warm_up_has_its_user_looked_up_there_and_its_first_run_starts_no_probe()
    {
        var image = await FreshImageAsync();
        try
        {
            var runner = new ContainerToolRunner();
            var tool = new ToolRunSpec(image) { Entrypoint = ["/bin/sh", "-c"], Command = ["id -u > /outputs/uid"], Timeout = TimeSpan.FromSeconds(60) };
            var since = EngineEvents.Now();

            await runner.WarmUpAsync([tool]);

            var probe = IsProbeOf(await IdOfAsync(image));
            Assert.Contains(await EngineEvents.OfTenantAsync(ContainerToolRunner.WarmUpTenant, since), probe);
            var tenant = DockerEngine.NewTenant("wu");
            since = EngineEvents.Now();
            var uid = new TextOutputFile("uid");
            var outcome = await runner.RunToolAsync(new ToolRunRequest(new ToolDefinition(tool) { Outputs = [uid] }, tenant, "first"));
            Assert.Equal("65532", outcome.Get(uid)!.Trim()); // the image's USER nonroot, as the warm-up resolved it
            var firstRun = await EngineEvents.OfTenantAsync(tenant, since);
            Assert.Contains(firstRun, IsCreated("tool")); // the events were read
            Assert.DoesNotContain(firstRun, probe);
            await DockerEngine.AssertNoLeftoversAsync(tenant);
        }
        finally
        {
            await RemoveAsync(image);
        }
    }

    [Fact]
    public async Task A_warm_up_refuses_a_malformed_tool_before_it_touches_the_engine()
    {
        // An endpoint that cannot answer: reaching it would fail with EngineUnavailableException instead.
        var runner = new ContainerToolRunner(new DockerConnectionOptions { Endpoint = new Uri("unix:///nonexistent/docker.sock") });

        await Assert.ThrowsAsync<VolumeValidationException>(() => runner.WarmUpAsync([new ToolRunSpec("Not An Image")]));
        await Assert.ThrowsAsync<VolumeValidationException>(() => runner.WarmUpAsync([new ToolRunSpec(BusyboxImage.Name) { User = "a:b:c" }]));
        await Assert.ThrowsAsync<EngineUnavailableException>(() => runner.WarmUpAsync([new ToolRunSpec(BusyboxImage.Name)]));
    }

    [Fact]
    public async Task A_generated_tool_registered_for_the_hosts_warm_up_is_looked_up_when_the_host_starts()
    {
        // The generated definition is what the registration hands over: the attribute's image and user.
        Assert.Equal(BusyboxImage.Name, ToolDefinition.Of<SortUniqueTool>().Tool.Image);
        Assert.Equal("65532:65532", ToolDefinition.Of<SortUniqueTool>().Tool.User);
        var image = await FreshImageAsync();
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection([new("VolumeGen:Sweeper:Enabled", "false")]);
            builder.Services.AddVolumeGen(builder.Configuration).AddVolumeGenWarmUp<SortUniqueTool>().AddVolumeGenWarmUp(new ToolRunSpec(image));
            using var host = builder.Build();
            var since = EngineEvents.Now();

            await host.StartAsync();
            await host.StopAsync();

            Assert.Contains(await EngineEvents.OfTenantAsync(ContainerToolRunner.WarmUpTenant, since), IsProbeOf(await IdOfAsync(image)));
        }
        finally
        {
            await RemoveAsync(image);
        }
    }

    private static Predicate<Docker.DotNet.Models.Message> IsProbeOf(string imageId) => e =>
        IsCreated("probe")(e) && e.Actor.Attributes!.TryGetValue("image", out var from) && from == imageId;

    /// <summary>The creation of one of VolumeGen's containers in <paramref name="role"/> ("tool", "helper", "probe").</summary>
    private static Predicate<Docker.DotNet.Models.Message> IsCreated(string role) => e =>
        e.Action == "create" && e.Actor.Attributes is { } attributes && attributes.TryGetValue("io.volumegen.role", out var actual) && actual == role;

    /// <summary>A busybox image running as the named user "nonroot" (a lookup needs the image's /etc/passwd), new to the engine.</summary>
    private static async Task<string> FreshImageAsync()
    {
        var image = BusyboxImage.WithBusybox(new LocalImage($"volumegen-test/warm-up:{Guid.NewGuid():N}")).WithChange("USER nonroot");
        await image.EnsureAsync(await DockerEngine.ClientAsync());
        return image.Name;
    }

    /// <summary>The ID a probe of <paramref name="image"/> is created from (it names the image by ID: a tag may move meanwhile).</summary>
    private static async Task<string> IdOfAsync(string image) => (await (await DockerEngine.ClientAsync()).Images.InspectImageAsync(image)).ID;

    private static async Task RemoveAsync(string image) =>
        await (await DockerEngine.ClientAsync()).Images.DeleteImageAsync(image, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
}
