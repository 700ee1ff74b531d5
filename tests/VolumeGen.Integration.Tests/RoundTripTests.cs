namespace VolumeGen.Integration.Tests;

public class RoundTripTests
{
    [Fact]
    public async Task Text_files_round_trip_exactly()
    {
        var tenant = DockerEngine.NewTenant();
        var files = new Dictionary<string, string>
        {
            ["domains.txt"] = "a.example\nb.example\n",
            ["unicode.txt"] = "héllo — 名前 🚀\r\nline2",
            ["empty.txt"] = "",
        };
        await using (var volume = new IsolatedContainerVolume(tenant, "run1"))
        {
            await volume.InitializeAsync(files);
            var read = await volume.ReadFilesAsync(files.Keys);
            Assert.Equal(files, read);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Binary_with_all_256_byte_values_round_trips()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Enumerable.Range(0, 256).Select(i => (byte)(255 - i))).ToArray();
        await using var volume = new IsolatedContainerVolume(DockerEngine.NewTenant(), "run1");
        await volume.InitializeAsync(new Dictionary<string, byte[]> { ["all.bin"] = bytes });

        Assert.Equal(bytes, await volume.ReadFileBytesAsync("all.bin"));
    }

    [Fact]
    public async Task A_200_MiB_file_streams_in_and_out_without_buffering()
    {
        const long size = 200L * 1024 * 1024;
        var tenant = DockerEngine.NewTenant();
        await using (var volume = new IsolatedContainerVolume(tenant, "big"))
        {
            var source = new PatternStream(size);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            await volume.InitializeAsync([VolumeFile.FromStream("big/data.bin", source, size)]);

            using var sink = new HashingSink();
            await volume.CopyFileToAsync("big/data.bin", sink);
            var after = GC.GetTotalMemory(forceFullCollection: true);

            Assert.Equal(size, sink.Length);
            Assert.Equal(PatternStream.Hash(size), sink.Hash());
            // Streamed, not buffered: the managed heap did not grow by anything near the file size.
            Assert.InRange(after - before, long.MinValue, 32L * 1024 * 1024);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Subdirectories_are_created_and_read_back()
    {
        await using var volume = new IsolatedContainerVolume(DockerEngine.NewTenant(), "run1");
        await volume.InitializeAsync(new Dictionary<string, string>
        {
            ["templates/http/a.yaml"] = "id: a",
            ["templates/dns/b.yaml"] = "id: b",
            ["config.yaml"] = "x: 1",
        });

        var result = await Tools.RunScriptAsync("cat /inputs/templates/http/a.yaml /inputs/templates/dns/b.yaml", [volume.GetVolumeConfig("/inputs")]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("id: aid: b", result.Stdout);
        Assert.Equal("id: b", (await volume.ReadFilesAsync(["templates/dns/b.yaml"]))["templates/dns/b.yaml"]);
    }

    [Fact]
    public async Task A_missing_file_is_an_error_naming_it_never_an_omission()
    {
        await using var volume = new IsolatedContainerVolume(DockerEngine.NewTenant(), "run1");
        await volume.InitializeAsync(new Dictionary<string, string> { ["present.txt"] = "here" });

        var error = await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => volume.ReadFilesAsync(["present.txt", "results.json"]));
        Assert.Equal("results.json", error.FileName);
        Assert.Contains("results.json", error.Message);
        await Assert.ThrowsAsync<VolumeFileNotFoundException>(() => volume.ReadFileBytesAsync("nodir/results.json"));
    }

    [Fact]
    public async Task Reads_respect_per_file_and_total_limits()
    {
        var options = new IsolatedVolumeOptions { MaxFileBytes = 1000, MaxTotalBytes = 1500, MaxEntries = 2 };
        await using var volume = new IsolatedContainerVolume(DockerEngine.NewTenant(), "run1", options);
        await volume.InitializeAsync(new Dictionary<string, byte[]>
        {
            ["a"] = new byte[800], ["b"] = new byte[800], ["big"] = new byte[1001],
        });

        Assert.Equal("MaxFileBytes", (await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => volume.ReadFileBytesAsync("big"))).LimitName);
        Assert.Equal("MaxTotalBytes", (await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => volume.ReadFilesAsync(["a", "b"]))).LimitName);
        Assert.Equal("MaxEntries", (await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => volume.ReadFilesAsync(["a", "b", "big"]))).LimitName);
    }

    [Fact]
    public async Task The_buffered_read_budget_covers_every_call_on_a_volume()
    {
        var options = new IsolatedVolumeOptions { MaxBufferedReadBytes = 1500 };
        await using var volume = new IsolatedContainerVolume(DockerEngine.NewTenant(), "run1", options);
        await volume.InitializeAsync(new Dictionary<string, byte[]> { ["a"] = new byte[800], ["b"] = new byte[800] });

        Assert.Equal(800, (await volume.ReadFileBytesAsync("a")).Length);
        // Each call alone is within MaxTotalBytes; together they are not within the volume's budget.
        Assert.Equal("MaxBufferedReadBytes", (await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => volume.ReadFilesAsync(["b"]))).LimitName);
        using var sink = new MemoryStream();
        await volume.CopyFileToAsync("b", sink); // streamed to the caller: not buffered, not charged
        Assert.Equal(800, sink.Length);
    }
}
