using System.Formats.Tar;
using System.Text;
using VolumeGen.Validation;

namespace VolumeGen.Archives;

/// <summary>
/// Takes every requested output of a run from one tar of the whole output volume (one archive request
/// instead of one per file), trusting nothing in it: a requested name must be a regular file (a link,
/// folder, FIFO or device there fails the read, as does a parent that is a link or a file); every
/// file under a requested folder must be a regular file with a safe name; entries outside the volume's
/// root fail the read. What nobody asked for is skipped without being kept, and charged by its header
/// (its announced size, its names and <see cref="UnrequestedEntryCost"/>) before a byte of it is read: past
/// <see cref="IsolatedVolumeOptions.MaxUnrequestedBytes"/> the read stops with
/// <see cref="UnrequestedOutputsException"/>, and the caller reads what is still missing through one
/// archive per output (<see cref="Pending"/>, <see cref="ReadEntriesAsync"/> with a prefix), so a 1 TiB
/// sparse file, a million tiny files or a deep tree the tool was not asked for costs at most that
/// budget. Bytes are charged to the limits as they arrive.
/// </summary>
internal sealed class OutputArchiveReader
{
    /// <summary>What an unrequested entry costs besides its data and its names: its header block and a PAX header's.</summary>
    public const long UnrequestedEntryCost = 1024;

    private readonly string _volumeName;
    private readonly IsolatedVolumeOptions _options;
    private readonly ByteBudget _bufferedReads;
    private readonly Dictionary<string, (ToolOutput Output, Stream? Destination)> _files;
    private readonly Dictionary<string, Folder> _folders;
    private readonly ByteBudget _textTotal;
    private readonly ByteBudget _skipped;
    private readonly Dictionary<ToolOutput, object?> _read = [];

    /// <summary>A reader of <paramref name="outputs"/>, each stream output copied into what <paramref name="destinationOf"/> names (null: not wanted).</summary>
    public OutputArchiveReader(string volumeName, IsolatedVolumeOptions options, ByteBudget bufferedReads, IReadOnlyList<ToolOutput> outputs, Func<StreamOutputFile, Stream?> destinationOf)
    {
        _volumeName = volumeName;
        _options = options;
        _bufferedReads = bufferedReads;
        var files = outputs.Where(o => !o.IsDirectory).Select(o => (Output: o, Destination: o is StreamOutputFile stream ? destinationOf(stream) : null)).ToList();
        _files = files.Where(f => f is not { Output.Kind: ToolOutputKind.Stream, Destination: null }).ToDictionary(f => f.Output.Name, StringComparer.Ordinal);
        _folders = outputs.Where(o => o.IsDirectory).ToDictionary(f => f.Name, f => new Folder(f, options), StringComparer.Ordinal);
        // The text outputs share one total, as when they were read in one call; bytes and folders have their own.
        _textTotal = new ByteBudget(options.MaxTotalBytes, nameof(IsolatedVolumeOptions.MaxTotalBytes));
        // What the tool wrote besides the outputs is streamed past, never kept, within a small budget.
        _skipped = new ByteBudget(options.MaxUnrequestedBytes, nameof(IsolatedVolumeOptions.MaxUnrequestedBytes));
        foreach (var (stream, _) in files.Where(f => f is { Output.Kind: ToolOutputKind.Stream, Destination: null }))
        {
            _read[stream] = null; // optional and not wanted: not read
        }
    }

    /// <summary>Bytes kept in memory (text, bytes and folder files).</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>
    /// The requested files and folders not read yet (after <see cref="UnrequestedOutputsException"/>):
    /// each to be read through its own archive. A folder seen is complete: an archive lists a folder's
    /// entries together, and the read stops only at an entry outside every requested folder.
    /// </summary>
    public IEnumerable<string> Pending =>
        _files.Where(f => !_read.ContainsKey(f.Value.Output)).Select(f => f.Key).Concat(_folders.Where(f => !f.Value.Seen).Select(f => f.Key));

    /// <summary>
    /// Reads the entries of one archive: the volume's (entries named after <paramref name="root"/>), or
    /// one output's own (<paramref name="root"/> null, entries named from the output's last component,
    /// <paramref name="prefix"/> its parent folder with a trailing '/').
    /// </summary>
    public async Task ReadEntriesAsync(Stream archive, string? root, string prefix, CancellationToken cancellationToken)
    {
        try
        {
            await ReadEntriesCoreAsync(archive, root, prefix, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new ArchiveCorruptException($"volume '{_volumeName}'", "ended early (truncated tar)", e);
        }
    }

    /// <summary>Every requested output, or the error of the first required one that is missing.</summary>
    public IReadOnlyDictionary<ToolOutput, object?> Complete()
    {
        foreach (var (file, _) in _files.Values.Where(f => !_read.ContainsKey(f.Output)))
        {
            _read[file] = file.Optional ? null : throw new VolumeFileNotFoundException(_volumeName, file.Name);
        }

        foreach (var (name, folder) in _folders)
        {
            _read[folder.Request] = folder.Seen ? folder.Result()
                : folder.Request.Optional ? null
                : throw new VolumeFileNotFoundException(_volumeName, name);
        }

        return _read;
    }

    private async Task ReadEntriesCoreAsync(Stream archive, string? root, string prefix, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(new NoEmptyReadStream(archive), leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            // Docker names the entries after the folder ("data/a.txt"); Podman 4.3 from the mount's root ("/a.txt").
            var name = entry.Name.TrimEnd('/');
            if (name == root || name is "" or ".")
            {
                continue;
            }

            var path = prefix + (root is not null && name.StartsWith(root + "/", StringComparison.Ordinal) ? name[(root.Length + 1)..]
                : name.StartsWith("./", StringComparison.Ordinal) ? name[2..]
                : name.StartsWith('/') ? name[1..]
                : root is null ? name
                : throw new UnsafeVolumeEntryException(_volumeName, name, "entry outside the volume's root in its archive"));
            var regular = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
            var kind = regular ? "regular file" : SingleFileArchiveReader.Describe(entry.EntryType);
            // A link or a file where a requested path needs a folder: the old per-file reads refused that too.
            if (entry.EntryType != TarEntryType.Directory &&
                _files.Keys.Concat(_folders.Keys).FirstOrDefault(w => w.StartsWith(path + "/", StringComparison.Ordinal)) is { } needsFolder)
            {
                throw new UnsafeVolumeEntryException(_volumeName, needsFolder, $"path whose parent '{path}' is a {kind}");
            }

            var container = _folders.Values.FirstOrDefault(f => path.StartsWith(f.Request.Name + "/", StringComparison.Ordinal));
            if (_files.TryGetValue(path, out var file))
            {
                // A file asked for by name and inside an asked-for folder (the runner refuses a stream there): read once, kept twice.
                var bytes = await ReadFileAsync(entry, file, regular ? null : kind, cancellationToken).ConfigureAwait(false);
                container?.Add(path, path[(container.Request.Name.Length + 1)..], bytes!, this);
            }
            else if (_folders.TryGetValue(path, out var folder))
            {
                folder.Seen = entry.EntryType == TarEntryType.Directory
                    ? true
                    : throw new UnsafeVolumeEntryException(_volumeName, path, kind, "a folder");
            }
            else if (container is not null)
            {
                await container.ReadAsync(entry, path, path[(container.Request.Name.Length + 1)..], this, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Charged by the header before any data moves: a sparse terabyte stops the read at once,
                // and so do the long names of a deep tree (the archive carries each in full).
                var overhead = UnrequestedEntryCost + Encoding.UTF8.GetByteCount(entry.Name) + Encoding.UTF8.GetByteCount(entry.LinkName ?? "");
                if (entry.Length > _skipped.Remaining - overhead)
                {
                    throw new UnrequestedOutputsException(path);
                }

                _skipped.Consume(overhead, _volumeName, path);
                await SingleFileArchiveReader.CopyChargedAsync(entry.DataStream, _volumeName, path, [_skipped], Stream.Null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads a requested file into its place; its bytes, or null for a stream.</summary>
    private async Task<byte[]?> ReadFileAsync(TarEntry entry, (ToolOutput Output, Stream? Destination) requested, string? unsafeKind, CancellationToken cancellationToken)
    {
        var file = requested.Output;
        if (unsafeKind is not null)
        {
            throw new UnsafeVolumeEntryException(_volumeName, file.Name, unsafeKind);
        }

        if (_read.ContainsKey(file))
        {
            throw new UnsafeVolumeEntryException(_volumeName, file.Name, "name that appears twice in the archive");
        }

        IReadOnlyList<ByteBudget> budgets = file.Kind switch
        {
            ToolOutputKind.Stream => [new ByteBudget(_options.MaxStreamedFileBytes, nameof(IsolatedVolumeOptions.MaxStreamedFileBytes))],
            ToolOutputKind.Text => [new ByteBudget(_options.MaxFileBytes, nameof(IsolatedVolumeOptions.MaxFileBytes)), _textTotal, _bufferedReads],
            _ => [new ByteBudget(_options.MaxFileBytes, nameof(IsolatedVolumeOptions.MaxFileBytes)), _bufferedReads],
        };
        ByteBudget.EnsureAllFit(budgets, entry.Length, _volumeName, file.Name);

        if (file.Kind == ToolOutputKind.Stream)
        {
            await SingleFileArchiveReader.CopyChargedAsync(entry.DataStream, _volumeName, file.Name, budgets, requested.Destination!, cancellationToken).ConfigureAwait(false);
            _read[file] = requested.Destination;
            return null;
        }

        var bytes = await BufferAsync(entry, file.Name, budgets, cancellationToken).ConfigureAwait(false);
        _read[file] = file.Kind == ToolOutputKind.Text ? Encoding.UTF8.GetString(bytes) : bytes;
        return bytes;
    }

    private async Task<byte[]> BufferAsync(TarEntry entry, string path, IReadOnlyList<ByteBudget> budgets, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        BufferedBytes += await SingleFileArchiveReader.CopyChargedAsync(entry.DataStream, _volumeName, path, budgets, content, cancellationToken).ConfigureAwait(false);
        return content.ToArray();
    }

    /// <summary>A requested folder: its files so far, under its own count and total.</summary>
    private sealed class Folder(ToolOutput request, IsolatedVolumeOptions options)
    {
        private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
        private readonly ByteBudget _total = new(options.MaxTotalBytes, nameof(IsolatedVolumeOptions.MaxTotalBytes));

        public ToolOutput Request { get; } = request;

        public bool Seen { get; set; }

        public async Task ReadAsync(TarEntry entry, string path, string relative, OutputArchiveReader reader, CancellationToken cancellationToken)
        {
            if (VolumePathRules.GetFileNameProblem(relative) is not null)
            {
                throw new UnsafeVolumeEntryException(reader._volumeName, Request.Name, $"folder whose archive holds an entry named '{entry.Name}'");
            }

            if (entry.EntryType == TarEntryType.Directory)
            {
                return;
            }

            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                throw new UnsafeVolumeEntryException(reader._volumeName, path, SingleFileArchiveReader.Describe(entry.EntryType));
            }

            var budgets = Budgets(reader, path, entry.Length);
            _files[relative] = await reader.BufferAsync(entry, path, budgets, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>A file already read for its own output: charged to this folder's limits too.</summary>
        public void Add(string path, string relative, byte[] bytes, OutputArchiveReader reader)
        {
            foreach (var budget in Budgets(reader, path, bytes.Length).Where(b => b != reader._bufferedReads))
            {
                budget.Consume(bytes.Length, reader._volumeName, path);
            }

            _files[relative] = bytes;
        }

        private IReadOnlyList<ByteBudget> Budgets(OutputArchiveReader reader, string path, long length)
        {
            if (_files.Count == options.MaxEntries)
            {
                throw new VolumeReadLimitExceededException(reader._volumeName, path, nameof(IsolatedVolumeOptions.MaxEntries), options.MaxEntries);
            }

            IReadOnlyList<ByteBudget> budgets = [new ByteBudget(options.MaxFileBytes, nameof(IsolatedVolumeOptions.MaxFileBytes)), _total, reader._bufferedReads];
            ByteBudget.EnsureAllFit(budgets, length, reader._volumeName, path);

            return budgets;
        }

        public object Result() => Request.Kind == ToolOutputKind.Text
            ? _files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetString(f.Value), StringComparer.Ordinal)
            : _files;
    }
}

/// <summary>
/// The tool left more in its output folder than was asked for than <see cref="IsolatedVolumeOptions.MaxUnrequestedBytes"/>
/// lets one archive carry: the whole-volume read stops and the outputs still missing are read one by one.
/// </summary>
internal sealed class UnrequestedOutputsException(string path)
    : Exception($"'{Printable.Of(path)}' and what the tool wrote besides its outputs exceed MaxUnrequestedBytes.")
{
    /// <summary>The unrequested entry at which the read stopped.</summary>
    public string Path { get; } = path;
}
