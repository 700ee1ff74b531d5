using System.Formats.Tar;
using VolumeGen.Archives;
using VolumeGen.Engine;
using VolumeGen.Testing;

namespace VolumeGen.Runtime.Tests;

[Collection(nameof(SerialCollection))] // transfer watchdogs keep time: not beside the CPU-heavy property tests
public class ArchiveTests
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Upload_archive_has_root_then_parents_then_files_with_explicit_owner_and_mode()
    {
        var files = new[]
        {
            VolumeFile.FromText("b/c/deep.txt", "deep"),
            VolumeFile.FromBytes("top.bin", new byte[] { 0, 255 }),
            VolumeFile.FromText("b/side.txt", "side"),
        };
        var entries = await WriteAndReadBackAsync(files);

        Assert.Equal(["data/", "data/b/", "data/b/c/", "data/b/c/deep.txt", "data/top.bin", "data/b/side.txt"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal((65532, 65532), (e.Uid, e.Gid)));
        Assert.All(entries.Where(e => e.EntryType == TarEntryType.Directory), e => Assert.Equal(DirMode, e.Mode));
        Assert.All(entries.Where(e => e.EntryType == TarEntryType.RegularFile), e => Assert.Equal(FileMode, e.Mode));
        Assert.Equal(2, entries.Single(e => e.Name == "data/top.bin").Length);
    }

    [Fact]
    public async Task The_podman_layout_roots_every_entry_at_dot()
    {
        var entries = await WriteAndReadBackAsync([VolumeFile.FromText("sub/f.txt", "x")], prefix: "./");
        Assert.Equal(["./", "./sub/", "./sub/f.txt"], entries.Select(e => e.Name));
        Assert.Equal(65532, entries[0].Uid);
    }

    [Fact]
    public async Task A_runs_two_volumes_are_one_upload_on_docker_and_one_per_volume_on_podman()
    {
        IReadOnlyList<(string, IReadOnlyList<VolumeFile>, IReadOnlyList<string>)> volumes =
            [("/in", [VolumeFile.FromText("sub/f.txt", "x")], []), ("/data", [], ["reports/daily", "quarantine"])];

        var (path, roots) = Assert.Single(EngineProfile.Docker.Uploads(volumes));
        var docker = await WriteRootsAndReadBackAsync(roots);
        var podman = EngineProfile.Podman.Uploads(volumes);

        Assert.Equal("/", path);
        // The output volume's root and its output folders are in the same archive: they get their owner and mode from it.
        Assert.Equal(["in/", "in/sub/", "in/sub/f.txt", "data/", "data/quarantine/", "data/reports/", "data/reports/daily/"], docker.Select(e => e.Name));
        Assert.All(docker.Where(e => e.EntryType == TarEntryType.Directory), e => Assert.Equal(DirMode, e.Mode));
        Assert.All(docker, e => Assert.Equal((65532, 65532), (e.Uid, e.Gid)));
        Assert.Equal(["/in", "/data"], podman.Select(u => u.ExtractPath));
        Assert.Equal(["./", "./sub/", "./sub/f.txt"], (await WriteRootsAndReadBackAsync(podman[0].Roots)).Select(e => e.Name));
        Assert.Equal(["./", "./quarantine/", "./reports/", "./reports/daily/"], (await WriteRootsAndReadBackAsync(podman[1].Roots)).Select(e => e.Name));
    }

    [Fact]
    public async Task Empty_upload_still_sets_the_root_owner()
    {
        var entries = await WriteAndReadBackAsync([]);
        var root = Assert.Single(entries);
        Assert.Equal(("data/", 65532), (root.Name, root.Uid));
    }

    [Fact]
    public async Task Unseekable_stream_shorter_than_declared_fails_the_upload()
    {
        var short_ = VolumeFile.FromStream("big.bin", new ForwardOnlyStream(new byte[10]), length: 20);
        var error = await Assert.ThrowsAsync<IOException>(() => WriteAndReadBackAsync([short_]));
        Assert.Contains("ended after 10 of 20", error.Message);
    }

    [Fact]
    public async Task Unseekable_stream_longer_than_declared_fails_the_upload()
    {
        var long_ = VolumeFile.FromStream("big.bin", new ForwardOnlyStream(new byte[30]), length: 20);
        var error = await Assert.ThrowsAsync<IOException>(() => WriteAndReadBackAsync([long_]));
        Assert.Contains("longer than its declared 20", error.Message);
    }

    [Fact]
    public async Task Unseekable_stream_without_length_is_spooled_to_a_file_nobody_can_see()
    {
        using var spoolDirectory = new SpoolDirectory();
        var directory = spoolDirectory.Path;
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var file = VolumeFile.FromStream("in.bin", new ForwardOnlyStream(content));
        Assert.Null(file.Length);
        await using (var spool = new InputSpool(directory, maxBytes: content.Length, TimeSpan.FromSeconds(30)))
        {
            var spooled = Assert.Single(await spool.WithKnownLengthsAsync([file], CancellationToken.None));
            Assert.Equal(content.Length, spooled.Length);
            Assert.Empty(Directory.GetFileSystemEntries(directory)); // unlinked while still open
            var entries = await WriteAndReadBackAsync([spooled]);
            using var copy = new MemoryStream();
            await entries.Single(e => e.Name == "data/in.bin").DataStream!.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }
    }

    [Fact]
    public async Task Spooling_stops_at_the_limit_with_a_typed_error_and_leaves_no_file()
    {
        using var spoolDirectory = new SpoolDirectory();
        var directory = spoolDirectory.Path;
        var file = VolumeFile.FromStream("big.bin", new ForwardOnlyStream(new byte[1001]));
        await using var spool = new InputSpool(directory, maxBytes: 1000, TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<VolumeWriteLimitExceededException>(() => spool.WithKnownLengthsAsync([file], CancellationToken.None));
        Assert.Equal(("big.bin", "MaxStreamedFileBytes", 1000L), (error.FileName, error.LimitName, error.Limit));
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public async Task A_source_that_stops_delivering_fails_the_spool_on_inactivity_and_leaves_no_file()
    {
        using var spoolDirectory = new SpoolDirectory();
        var directory = spoolDirectory.Path;
        var file = VolumeFile.FromStream("stalled.bin", new StallingStream(firstBytes: 5000));
        await using var spool = new InputSpool(directory, maxBytes: 1 << 20, TimeSpan.FromMilliseconds(300));
        var error = await Assert.ThrowsAsync<VolumeTransferStalledException>(() => spool.WithKnownLengthsAsync([file], CancellationToken.None));
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Inactivity);
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public async Task The_watchdog_lets_a_slow_but_moving_transfer_run_past_its_timeout()
    {
        // A limit well above this VM's pauses (a 1 s limit once saw no byte for a second here).
        using var watchdog = new TransferWatchdog(TimeSpan.FromSeconds(3), CancellationToken.None);
        var source = watchdog.Watch(new StallingStream(firstBytes: 0, trickleEvery: TimeSpan.FromMilliseconds(30), trickleCount: 200));
        var total = 0;
        var buffer = new byte[100];
        int read;
        while ((read = await source.ReadAsync(buffer, watchdog.Token)) > 0)
        {
            total += read;
        }

        Assert.Equal(200, total); // 6 s in all, twice the inactivity limit, with 100 times its margin between bytes
        Assert.False(watchdog.Stalled);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "symbolic link")]
    [InlineData(TarEntryType.HardLink, "hard link")]
    [InlineData(TarEntryType.Directory, "directory")]
    [InlineData(TarEntryType.Fifo, "FIFO")]
    [InlineData(TarEntryType.CharacterDevice, "character device")]
    public async Task Reader_accepts_only_regular_files(TarEntryType type, string kind)
    {
        var entry = new PaxTarEntry(type, "out.txt");
        if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            entry.LinkName = "/etc/passwd";
        }

        var archive = Tar(entry);
        var error = await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => ReadAsync(archive, "out.txt", 100));
        Assert.Equal(kind, error.EntryKind);
    }

    [Fact]
    public async Task Reader_rejects_an_extra_entry_and_a_wrong_name()
    {
        var twoEntries = Tar(File("out.txt", 3), File("smuggled.txt", 3));
        await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => ReadAsync(twoEntries, "out.txt", 100));
        await Assert.ThrowsAsync<UnsafeVolumeEntryException>(() => ReadAsync(Tar(File("../out.txt", 3)), "out.txt", 100));
    }

    [Fact]
    public async Task Reader_counts_bytes_and_enforces_the_limit()
    {
        // The daemon names the entry after the last path segment.
        var (bytes, _) = await ReadAsync(Tar(File("out.txt", 100)), "sub/out.txt", 100);
        Assert.Equal(100, bytes.Length);
        var error = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() => ReadAsync(Tar(File("out.txt", 101)), "out.txt", 100));
        Assert.Equal("MaxFileBytes", error.LimitName);
    }

    [Fact]
    public async Task Reader_reports_a_truncated_archive_clearly()
    {
        var whole = Tar(File("out.txt", 1000)).ToArray();
        var error = await Assert.ThrowsAsync<ArchiveCorruptException>(() => ReadAsync(new MemoryStream(whole[..700]), "out.txt", 10_000));
        Assert.Contains("truncated", error.Message);
        await Assert.ThrowsAsync<ArchiveCorruptException>(() => ReadAsync(new MemoryStream(), "out.txt", 100));
    }

    [Fact]
    public async Task A_shared_budget_limits_the_total_across_files()
    {
        var total = new ByteBudget(150, "MaxTotalBytes");
        await SingleFileArchiveReader.CopyAsync(Tar(File("a", 100)), "vol", "a", [total], Stream.Null, default);
        var error = await Assert.ThrowsAsync<VolumeReadLimitExceededException>(() =>
            SingleFileArchiveReader.CopyAsync(Tar(File("b", 100)), "vol", "b", [new ByteBudget(1000, "MaxFileBytes"), total], Stream.Null, default));
        Assert.Equal(("b", "MaxTotalBytes"), (error.FileName, error.LimitName));
    }

    private static PaxTarEntry File(string name, int size) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(new byte[size]) };

    private static MemoryStream Tar(params PaxTarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static async Task<(byte[] Bytes, long Count)> ReadAsync(Stream archive, string name, long limit)
    {
        using var destination = new MemoryStream();
        var count = await SingleFileArchiveReader.CopyAsync(
            new ThrowsOnEmptyReadStream(archive), "vol", name, [new ByteBudget(limit, "MaxFileBytes")], destination, default);
        return (destination.ToArray(), count);
    }

    private static Task<List<TarEntry>> WriteAndReadBackAsync(VolumeFile[] files, string prefix = "data/") =>
        WriteRootsAndReadBackAsync([new ArchiveRoot(prefix, files, [])]);

    private static async Task<List<TarEntry>> WriteRootsAndReadBackAsync(IReadOnlyList<ArchiveRoot> roots)
    {
        var writer = new VolumeArchiveWriter(65532, 65532, FileMode, DirMode);
        var (archive, producer) = writer.Start(roots, default);
        var copy = new MemoryStream();
        await archive.CopyToAsync(copy);
        await producer;
        copy.Position = 0;
        var entries = new List<TarEntry>();
        using var reader = new TarReader(copy);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>A private temporary folder for spool files, removed with whatever is left in it.</summary>
    private sealed class SpoolDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("volumegen-spool-test").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
