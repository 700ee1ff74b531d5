namespace VolumeGen.Integration.Tests;

public class SweeperTests
{
    // The runs here are this host's own, on an engine no other host uses: no minimum cutoff.
    private static readonly OrphanVolumeSweeper Sweeper = new() { MinimumCutoff = TimeSpan.Zero };

    [Fact]
    public async Task The_orphan_of_a_killed_worker_is_swept_and_a_live_runs_volume_is_kept()
    {
        var tenant = DockerEngine.NewTenant("sw");
        var orphan = await CrashedWorker.LeaveVolumeAsync(tenant, "crashed");
        await using var live = new IsolatedContainerVolume(tenant, "live");
        await live.InitializeAsync(new Dictionary<string, string> { ["in.txt"] = "still needed" });

        // Younger than the cutoff: nothing is touched.
        var early = await Sweeper.SweepAsync(TimeSpan.FromHours(2), tenant);
        Assert.Empty(early.RemovedVolumes);
        Assert.True(await DockerEngine.VolumeExistsAsync(orphan));

        var listed = await Sweeper.ListVolumesAsync(tenant);
        Assert.Equal(new[] { live.Name, orphan }.Order(), listed.Select(v => v.Name).Order());
        Assert.Equal("crashed", listed.Single(v => v.Name == orphan).RunId);
        Assert.False(listed.Single(v => v.Name == orphan).OwnerAlive);
        Assert.True(listed.Single(v => v.Name == live.Name).OwnerAlive);

        var dry = await Sweeper.SweepAsync(TimeSpan.Zero, tenant, dryRun: true);
        Assert.Equal([orphan], dry.RemovedVolumes);
        Assert.True(await DockerEngine.VolumeExistsAsync(orphan));

        var sweep = await Sweeper.SweepAsync(TimeSpan.Zero, tenant);
        Assert.True(sweep.Succeeded);
        Assert.Equal([orphan], sweep.RemovedVolumes);
        Assert.Equal(live.Name, Assert.Single(sweep.Kept).Name);
        Assert.False(await DockerEngine.VolumeExistsAsync(orphan));
        Assert.Equal("still needed", (await live.ReadFilesAsync(["in.txt"]))["in.txt"]);
    }

    [Fact]
    public async Task A_volume_mounted_by_a_running_tool_is_never_swept()
    {
        var tenant = DockerEngine.NewTenant("sw");
        // The worker dies; its tool goes on running (the runner mounts only this process's own
        // volumes, so the tool that holds an orphan is the dead worker's own).
        var orphan = await CrashedWorker.LeaveVolumeAsync(tenant, "crashed", toolSeconds: 600);

        var sweep = await Sweeper.SweepAsync(TimeSpan.Zero, tenant);
        Assert.Empty(sweep.RemovedVolumes);
        Assert.Equal(new SweepEntry(orphan, "a running container mounts it"), Assert.Single(sweep.Kept));

        var client = await DockerEngine.ClientAsync();
        var tool = Assert.Single(await Sweeper.ListContainersAsync(tenant), c => c.Role == "tool");
        await client.Containers.KillContainerAsync(tool.Id, new global::Docker.DotNet.Models.ContainerKillParameters());
        // A kill only sends the signal: Docker 26 reports the container running a moment longer.
        await client.Containers.WaitContainerAsync(tool.Id);
        Assert.Equal([orphan], (await Sweeper.SweepAsync(TimeSpan.Zero, tenant)).RemovedVolumes);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_worker_killed_while_its_tool_runs_leaves_the_volume_in_use_until_the_tool_ends_then_it_is_swept()
    {
        var tenant = DockerEngine.NewTenant("sw");
        var orphan = await CrashedWorker.LeaveVolumeAsync(tenant, "mid-tool", toolSeconds: 3);

        var during = await Sweeper.SweepAsync(TimeSpan.Zero, tenant);
        Assert.Empty(during.RemovedVolumes);
        Assert.Equal(new SweepEntry(orphan, "a running container mounts it"), Assert.Single(during.Kept));

        await CrashedWorker.WaitUntilAsync(async () => !(await Sweeper.ListVolumesAsync(tenant)).Single().InUse);
        var after = await Sweeper.SweepAsync(TimeSpan.Zero, tenant);
        Assert.Equal([orphan], after.RemovedVolumes);
        Assert.Single(after.RemovedContainers); // the exited tool container of the dead worker
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_helper_created_after_the_cutoff_waiting_to_read_protects_an_old_volume()
    {
        var tenant = DockerEngine.NewTenant("sw");
        var client = await DockerEngine.ClientAsync();
        var labels = new VolumeGen.Engine.VolumeLabels(DockerConnectionOptions.DefaultLabelPrefix);
        string Ago(TimeSpan age) => (DateTimeOffset.UtcNow - age).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A run on another host (its owner is nobody this host can see): an old volume, and the
        // read helper its run created a moment ago while the tool ran, now waiting for the read.
        var volumeLabels = labels.For(VolumeGen.Engine.VolumeLabels.RoleVolume, tenant, "remote");
        volumeLabels[labels.Created] = Ago(TimeSpan.FromHours(3));
        volumeLabels[labels.Owner] = "another-host/1/boot/1";
        var name = $"tenant-{tenant}-run-remote";
        await client.Volumes.CreateAsync(new global::Docker.DotNet.Models.VolumesCreateParameters { Name = name, Labels = volumeLabels });
        var helperLabels = labels.For(VolumeGen.Engine.VolumeLabels.RoleHelper, tenant, "remote", volumeName: name);
        helperLabels[labels.Owner] = "another-host/1/boot/1";
        var helper = await client.Containers.CreateContainerAsync(new global::Docker.DotNet.Models.CreateContainerParameters
        {
            Image = Samples.StandInTools.BusyboxImage.Name,
            Cmd = ["true"],
            Labels = helperLabels,
            HostConfig = new global::Docker.DotNet.Models.HostConfig
            {
                NetworkMode = "none",
                Mounts = [new global::Docker.DotNet.Models.Mount { Type = "volume", Source = name, Target = "/data", ReadOnly = true }],
            },
        });

        var sweep = await Sweeper.SweepAsync(TimeSpan.FromHours(1), tenant);
        Assert.Empty(sweep.RemovedVolumes);
        Assert.Equal(new SweepEntry(name, "a helper created after the cutoff waits to read it"), Assert.Single(sweep.Kept));

        // The same helper, once it is older than the cutoff too, protects nothing: both go.
        var later = await Sweeper.SweepAsync(TimeSpan.Zero, tenant);
        Assert.Equal([name], later.RemovedVolumes);
        Assert.Contains(helper.ID, later.RemovedContainers);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
