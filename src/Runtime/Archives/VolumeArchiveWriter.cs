using System.Formats.Tar;
using System.IO.Pipelines;

namespace VolumeGen.Archives;

/// <summary>
/// One volume in an upload: its root's entry name (ending in '/', every entry of it starts with it),
/// its files, and the empty folders it must hold (a run's declared output folders).
/// </summary>
internal readonly record struct ArchiveRoot(string Prefix, IReadOnlyList<VolumeFile> Files, IReadOnlyList<string> Folders);

/// <summary>
/// Writes the upload tar: for each volume in it, the volume root first (so even an empty output
/// volume gets its owner and mode), then each directory (the files' parents and the empty folders
/// asked for), then each file, all with explicit uid, gid
/// and mode. Uncompressed on purpose: the daemon may decompress with tools from inside the container.
/// </summary>
internal sealed class VolumeArchiveWriter(int uid, int gid, UnixFileMode fileMode, UnixFileMode directoryMode)
{
    /// <summary>
    /// Streams the archive through a pipe so a large file is never held in memory. The returned
    /// stream is what the HTTP request reads; the task completes when the whole archive was produced.
    /// </summary>
    /// <param name="roots">The volumes, each with its root's entry name ("data/" or "./") and its files.</param>
    /// <param name="cancellationToken">Stops producing.</param>
    public (Stream Archive, Task Producer) Start(IReadOnlyList<ArchiveRoot> roots, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        var producer = Task.Run(async () =>
        {
            var output = pipe.Writer.AsStream();
            try
            {
                await WriteAsync(output, roots, cancellationToken).ConfigureAwait(false);
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);
        return (pipe.Reader.AsStream(), producer);
    }

    private async Task WriteAsync(Stream output, IReadOnlyList<ArchiveRoot> roots, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var root in roots)
        {
            await WriteRootAsync(writer, root, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteRootAsync(TarWriter writer, ArchiveRoot root, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (prefix, files, folders) = root;
        await writer.WriteEntryAsync(Directory(prefix, now), cancellationToken).ConfigureAwait(false);
        foreach (var directory in DirectoriesOf(files.Select(f => f.Name), folders))
        {
            await writer.WriteEntryAsync(Directory($"{prefix}{directory}/", now), cancellationToken).ConfigureAwait(false);
        }

        foreach (var file in files)
        {
            await using var content = file.OpenContent();
            var entry = new PaxTarEntry(TarEntryType.RegularFile, prefix + file.Name)
            {
                Uid = uid,
                Gid = gid,
                Mode = fileMode,
                ModificationTime = now,
                DataStream = content,
            };
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private PaxTarEntry Directory(string name, DateTimeOffset now) => new(TarEntryType.Directory, name)
    {
        Uid = uid,
        Gid = gid,
        Mode = directoryMode,
        ModificationTime = now,
    };

    /// <summary>
    /// Every parent directory of every file, and every folder with its parents: parents before
    /// children, each once.
    /// </summary>
    internal static IEnumerable<string> DirectoriesOf(IEnumerable<string> fileNames, IEnumerable<string> folders)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in fileNames.Concat(folders.Select(f => f + "/")))
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                seen.Add(path[..slash]);
            }
        }

        // Ordinal order puts "a" before "a/b" because '/' sorts after the end of the shorter string.
        return seen;
    }
}
