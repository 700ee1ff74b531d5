using Docker.DotNet.Models;

namespace VolumeGen.Integration.Tests;

public class CancellationAndCleanupTests
{
    [Fact]
    public async Task Cancelling_mid_initialize_leaves_no_volume_or_container()
    {
        var tenant = DockerEngine.NewTenant();
        var volume = new IsolatedContainerVolume(tenant, "run");
        using var cts = new CancellationTokenSource();
        var slow = new SlowStream(onFirstRead: () => cts.CancelAfter(TimeSpan.FromMilliseconds(300)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            volume.InitializeAsync([VolumeFile.FromText("a.txt", "a"), VolumeFile.FromStream("slow.bin", slow, length: 1L << 30)], cts.Token));

        Assert.True(slow.Reads > 0, "the upload had started");
        Assert.False(volume.IsInitialized);
        Assert.False(await DockerEngine.VolumeExistsAsync(volume.Name));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_token_cancelled_before_initialize_creates_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        var volume = new IsolatedContainerVolume(tenant, "run");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            volume.InitializeAsync(new Dictionary<string, string> { ["a"] = "a" }, new CancellationToken(canceled: true)));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Cleanup_with_a_cancelled_token_still_removes_the_volume()
    {
        var tenant = DockerEngine.NewTenant();
        var volume = new IsolatedContainerVolume(tenant, "run");
        await volume.InitializeAsync(new Dictionary<string, string> { ["a"] = "a" });

        await volume.CleanupAsync(new CancellationToken(canceled: true));

        Assert.False(await DockerEngine.VolumeExistsAsync(volume.Name));
        Assert.Throws<InvalidOperationException>(() => volume.GetVolumeConfig("/inputs"));
        await volume.CleanupAsync(); // idempotent
    }

    [Fact]
    public async Task An_output_volume_never_read_back_leaves_no_helper_behind()
    {
        var tenant = DockerEngine.NewTenant();
        await using (var output = new IsolatedContainerVolume(tenant, "out"))
        {
            // Initializing an empty volume prepares its read-only helper for the read-back to come.
            await output.InitializeAsync(new Dictionary<string, string>());
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Reads_racing_a_cleanup_never_recreate_the_volume()
    {
        var tenant = DockerEngine.NewTenant();
        var volume = new IsolatedContainerVolume(tenant, "run");
        await volume.InitializeAsync(new Dictionary<string, string> { ["a"] = "a" });

        var reads = Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await volume.ReadFilesAsync(["a"]);
            }
            catch (InvalidOperationException)
            {
                // cleaned up first: the read is refused, which is the point
            }
        }).ToList();
        await volume.CleanupAsync();
        await Task.WhenAll(reads);

        Assert.False(await DockerEngine.VolumeExistsAsync(volume.Name));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_volume_that_cannot_be_removed_is_reported_and_can_be_retried()
    {
        var tenant = DockerEngine.NewTenant();
        var client = await DockerEngine.ClientAsync();
        var options = new IsolatedVolumeOptions { CleanupAttempts = 2, CleanupRetryDelay = TimeSpan.FromMilliseconds(50) };
        var volume = new IsolatedContainerVolume(tenant, "run", options);
        await volume.InitializeAsync(new Dictionary<string, string> { ["a"] = "a" });
        // A container VolumeGen did not create holds the volume: cleanup must not remove it, and must say so.
        var foreign = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = Samples.StandInTools.BusyboxImage.Name,
            Cmd = ["true"],
            HostConfig = new HostConfig { Mounts = [new Mount { Type = "volume", Source = volume.Name, Target = "/v", ReadOnly = true }] },
        });
        try
        {
            var error = await Assert.ThrowsAsync<VolumeCleanupException>(() => volume.CleanupAsync());
            Assert.Equal((volume.Name, 2), (error.VolumeName, error.Attempts));
            Assert.True(await DockerEngine.VolumeExistsAsync(volume.Name));
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(foreign.ID, new ContainerRemoveParameters { Force = true });
        }

        await volume.CleanupAsync();
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Cleanup_removes_helper_containers_left_on_the_volume()
    {
        var tenant = DockerEngine.NewTenant();
        await using var volume = new IsolatedContainerVolume(tenant, "run");
        await volume.InitializeAsync(new Dictionary<string, string> { ["a"] = "a" });
        // A read interrupted at the wrong moment can leave a helper behind; simulate one.
        var client = await DockerEngine.ClientAsync();
        await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = IsolatedVolumeOptions.DefaultHelperImage,
            Cmd = ["/never"],
            Labels = new Dictionary<string, string>
            {
                ["io.volumegen.managed"] = "true", ["io.volumegen.tenant"] = tenant, ["io.volumegen.volume"] = volume.Name,
            },
            HostConfig = new HostConfig { Mounts = [new Mount { Type = "volume", Source = volume.Name, Target = "/data", ReadOnly = true }] },
        });

        await volume.CleanupAsync();
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    /// <summary>A huge stream that trickles: the upload is still running when the token fires.</summary>
    private sealed class SlowStream(Action onFirstRead) : Stream
    {
        public int Reads;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref Reads) == 1)
            {
                onFirstRead();
            }

            await Task.Delay(20, cancellationToken);
            var n = Math.Min(buffer.Length, 4096);
            buffer.Span[..n].Fill(7);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
