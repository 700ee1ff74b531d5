using System.Security.Cryptography;
using VolumeGen.Testing;

namespace VolumeGen.Integration.Tests;

/// <summary>Transfers are bounded by inactivity, never by total time: slow but moving goes through, stalled stops.</summary>
public class TransferTests
{
    [Fact]
    public async Task A_slow_upload_and_download_outlast_the_request_timeout()
    {
        var tenant = DockerEngine.NewTenant("slow");
        // Ordinary calls may take 8 s here (a busy engine's /info can take seconds); the transfer
        // below takes about 12 s and must still succeed.
        var options = new IsolatedVolumeOptions { RequestTimeout = TimeSpan.FromSeconds(8), TransferInactivityTimeout = TimeSpan.FromSeconds(5) };
        const int chunk = 16 * 1024;
        const int chunks = 120;
        var slow = new StallingStream(firstBytes: 0, trickleEvery: TimeSpan.FromMilliseconds(100), trickleCount: chunks, trickleSize: chunk);
        await using (var volume = new IsolatedContainerVolume(tenant, "slow", options))
        {
            await volume.InitializeAsync([VolumeFile.FromStream("slow.bin", slow, (long)chunk * chunks)]);
            var back = await volume.ReadFileBytesAsync("slow.bin");
            Assert.Equal((long)chunk * chunks, back.Length);
            Assert.All(back, b => Assert.Equal(1, b));
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_stalled_upload_fails_on_inactivity_and_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant("stall");
        var options = new IsolatedVolumeOptions { TransferInactivityTimeout = TimeSpan.FromSeconds(1) };
        await using var volume = new IsolatedContainerVolume(tenant, "stall", options);

        var error = await Assert.ThrowsAsync<VolumeTransferStalledException>(() =>
            volume.InitializeAsync([VolumeFile.FromStream("stalled.bin", new StallingStream(firstBytes: 4096), length: 1 << 20)]));

        Assert.Equal(volume.Name, error.VolumeName);
        Assert.Contains("upload", error.Message);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
