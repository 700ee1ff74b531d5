using Docker.DotNet.Models;
using VolumeGen.Engine;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>A hostile neighbour on the same daemon, and an unlucky operator: mounts and sweeps stay within one tenant.</summary>
public class TenantSafetyTests
{
    private static readonly VolumeLabels Labels = new(DockerConnectionOptions.DefaultLabelPrefix);

    [Fact]
    public async Task The_runner_mounts_only_this_processes_volumes_of_the_specs_tenant()
    {
        var tenant = DockerEngine.NewTenant("own");
        var neighbour = DockerEngine.NewTenant("nb");
        var client = await DockerEngine.ClientAsync();
        var hostFolder = Directory.CreateTempSubdirectory("volumegen-host").FullName;
        var unlabeled = $"unlabeled-{Guid.NewGuid():N}";
        var forged = $"forged-{Guid.NewGuid():N}";
        await using var mine = new IsolatedContainerVolume(tenant, "wf-1");
        await using var theirs = new IsolatedContainerVolume(neighbour, "wf-1");
        await mine.InitializeAsync(new Dictionary<string, string> { ["in.txt"] = "mine" });
        await theirs.InitializeAsync(new Dictionary<string, string> { ["in.txt"] = "theirs" });
        await client.Volumes.CreateAsync(new VolumesCreateParameters { Name = unlabeled });
        // A neighbour copies VolumeGen's labels (instance included) onto a local volume that is a host folder.
        var copied = (await client.Volumes.InspectAsync(mine.Name)).Labels;
        await client.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = forged,
            Driver = "local",
            DriverOpts = new Dictionary<string, string> { ["type"] = "none", ["o"] = "bind", ["device"] = hostFolder },
            Labels = copied,
        });
        try
        {
            var spec = new ToolRunSpec(BusyboxImage.Name) { Entrypoint = ["/bin/cat"], Command = ["/in/in.txt"], TenantId = tenant };
            Assert.Equal("mine", (await Tools.Runner.RunAsync(spec with { Mounts = [mine.GetVolumeConfig("/in")] })).Stdout);

            foreach (var (volume, why) in new[]
            {
                (theirs.Name, $"not a VolumeGen volume of tenant '{tenant}'"),
                (unlabeled, "not a VolumeGen volume"),
                (forged, "this process did not create it"),
            })
            {
                var error = await Assert.ThrowsAsync<MountRefusedException>(() =>
                    Tools.Runner.RunAsync(spec with { Mounts = [new VolumeMount(volume, "/in", true)] }));
                Assert.Contains(why, error.Message);
            }

            var noTenant = await Assert.ThrowsAsync<UnsafeToolSpecException>(() =>
                Tools.Runner.RunAsync(spec with { TenantId = null, Mounts = [mine.GetVolumeConfig("/in")] }));
            Assert.Equal("TenantId", noTenant.Property);
            Assert.Empty(await DockerEngine.ContainersBesidesReadHelpersAsync(tenant));
        }
        finally
        {
            await client.Volumes.RemoveAsync(unlabeled);
            await client.Volumes.RemoveAsync(forged);
            Directory.Delete(hostFolder);
        }
    }

    [Fact]
    public async Task A_volume_removed_and_recreated_empty_between_check_and_create_is_detected_and_the_stray_removed()
    {
        var tenant = DockerEngine.NewTenant("race");
        var client = await DockerEngine.ClientAsync();
        await using var volume = new IsolatedContainerVolume(tenant, "wf-1");
        await volume.InitializeAsync(new Dictionary<string, string> { ["in.txt"] = "x" });
        var spec = new ToolRunSpec(BusyboxImage.Name) { TenantId = tenant, Mounts = [volume.GetVolumeConfig("/in")] };
        var seen = await MountChecks.CheckAsync(DockerApi.For(client), spec, ToolUser.NonRoot, Labels, CancellationToken.None);
        Assert.Null(await MountChecks.FindReplacedAsync(DockerApi.For(client), spec, seen, Labels, CancellationToken.None));

        // What a concurrent cleanup (its read helper, then the volume) followed by the tool's container create does:
        // the same name, empty, unlabeled.
        foreach (var holder in await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["volume"] = new Dictionary<string, bool> { [volume.Name] = true } },
        }))
        {
            await client.Containers.RemoveContainerAsync(holder.ID, new ContainerRemoveParameters { Force = true });
        }

        await client.Volumes.RemoveAsync(volume.Name);
        await client.Volumes.CreateAsync(new VolumesCreateParameters { Name = volume.Name });

        Assert.Equal(volume.Name, (await MountChecks.FindReplacedAsync(DockerApi.For(client), spec, seen, Labels, CancellationToken.None))?.Source);
        await MountChecks.RemoveIfUnlabeledAsync(DockerApi.For(client), volume.Name);
        Assert.False(await DockerEngine.VolumeExistsAsync(volume.Name));
    }

    [Fact]
    public async Task A_sweep_for_one_tenant_never_touches_another_tenants_containers()
    {
        var tenant = DockerEngine.NewTenant("swa");
        var neighbour = DockerEngine.NewTenant("swb");
        var client = await DockerEngine.ClientAsync();
        // A helper left by a crashed worker of the neighbour: VolumeGen's labels, old, owner gone.
        var labels = Labels.For(VolumeLabels.RoleHelper, neighbour, "wf-1");
        labels[Labels.Created] = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        labels.Remove(Labels.Owner);
        var leftover = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = BusyboxImage.Name, Cmd = ["true"], Labels = labels, HostConfig = new HostConfig { NetworkMode = "none" },
        });
        var sweeper = new OrphanVolumeSweeper();

        var mine = await sweeper.SweepAsync(TimeSpan.FromHours(1), tenant, dryRun: true);
        var theirs = await sweeper.SweepAsync(TimeSpan.FromHours(1), neighbour, dryRun: true);

        Assert.DoesNotContain(leftover.ID, mine.RemovedContainers);
        Assert.Contains(leftover.ID, theirs.RemovedContainers);
        await sweeper.SweepAsync(TimeSpan.FromHours(1), neighbour);
        await DockerEngine.AssertNoLeftoversAsync(neighbour);
    }
}
