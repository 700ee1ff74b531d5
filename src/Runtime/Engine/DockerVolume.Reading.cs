using VolumeGen.Archives;
using VolumeGen.Observability;

namespace VolumeGen.Engine;

/// <summary>Reading files back through the archive API, bounded and checked.</summary>
internal sealed partial class DockerVolume
{
    /// <summary>A 404 from the archive API means a missing file only while the helper still exists.</summary>
    private async Task<Exception> NotFoundAsync(DockerApi api, string helper, string name)
    {
        using var timeout = new CancellationTokenSource(DockerApi.UncancellableCallTimeout);
        return await api.ContainerExistsAsync(helper, timeout.Token).ConfigureAwait(false)
            ? new VolumeFileNotFoundException(Name, name)
            : new VolumeReadInterruptedException(Name, name);
    }

    private async Task<long> CopyOutAsync(
        DockerApi api, string helper, string name, IReadOnlyList<ByteBudget> budgets, Stream destination, CancellationToken cancellationToken)
    {
        await EnsureParentsAreFoldersAsync(api, helper, name, cancellationToken).ConfigureAwait(false);
        // Bounded by inactivity, not total time, like uploads.
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        try
        {
            var response = await api.GetArchiveAsync(helper, $"{HelperContainers.MountPath}/{name}", watchdog.Token).ConfigureAwait(false)
                ?? throw await NotFoundAsync(api, helper, name).ConfigureAwait(false);
            var archive = response.Content;
            await using (archive.ConfigureAwait(false))
            {
                if (PathStat.Kind(response.Stat, $"{HelperContainers.MountPath}/{name}") is { } kind)
                {
                    throw new UnsafeVolumeEntryException(Name, name, kind);
                }

                ByteBudget.EnsureAllFit(budgets, response.Stat.Size, Name, name);

                return await SingleFileArchiveReader.CopyAsync(watchdog.Watch(archive), Name, name, budgets, destination, watchdog.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (watchdog.Stalled && !cancellationToken.IsCancellationRequested)
        {
            throw new VolumeTransferStalledException(Name, "download", _options.TransferInactivityTimeout, e);
        }
    }

    /// <summary>
    /// Every output of a run in one archive request of the whole volume (through the read helper
    /// prepared while the tool ran), with the rules and limits of the single reads; see
    /// <see cref="OutputArchiveReader"/>. When the tool left more beside its outputs than
    /// <see cref="IsolatedVolumeOptions.MaxUnrequestedBytes"/>, that read stops and each output still
    /// missing is read through its own archive. The whole read-back has a deadline,
    /// <see cref="IsolatedVolumeOptions.StageOutTimeout"/>, besides the inactivity timeout of each transfer.
    /// </summary>
    public async Task<IReadOnlyDictionary<ToolOutput, object?>> ReadOutputsAsync(IReadOnlyList<ToolOutput> outputs, Func<StreamOutputFile, Stream?> destinationOf, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StageOutTimeout);
        try
        {
            IReadOnlyDictionary<ToolOutput, object?>? staged = null;
            await WithReadHelperAsync(
                async (api, helper) => staged = await ReadOutputsThroughAsync(api, helper, outputs, destinationOf, deadline.Token).ConfigureAwait(false),
                deadline.Token,
                removeHelper: _options.BackgroundCleanup is null).ConfigureAwait(false);
            return staged!;
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new VolumeStageOutTimeoutException(Name, _options.StageOutTimeout, e);
        }
    }

    private async Task<IReadOnlyDictionary<ToolOutput, object?>> ReadOutputsThroughAsync(
        DockerApi api, string helper, IReadOnlyList<ToolOutput> outputs, Func<StreamOutputFile, Stream?> destinationOf, CancellationToken cancellationToken)
    {
        var reader = new OutputArchiveReader(Name, _options, _bufferedReads, outputs, destinationOf);
        try
        {
            await ReadArchiveAsync(api, helper, "", HelperContainers.MountPath.TrimStart('/'), "", reader, cancellationToken).ConfigureAwait(false);
        }
        catch (UnrequestedOutputsException e)
        {
            Log.UnrequestedOutputs(_logger, Name, e.Message);
            // Folders first: a requested file inside a requested folder comes with it.
            var tried = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Pending.OrderBy(name => outputs.Any(o => !o.IsDirectory && o.Name == name)).FirstOrDefault(tried.Add) is { } name)
            {
                await ReadOneOutputAsync(api, helper, name, reader, cancellationToken).ConfigureAwait(false);
            }
        }

        return Completed(reader, outputs.Count);
    }

    /// <summary>What <paramref name="reader"/> read, logged and counted.</summary>
    private IReadOnlyDictionary<ToolOutput, object?> Completed(OutputArchiveReader reader, int outputs)
    {
        var staged = reader.Complete();
        Log.FilesRead(_logger, outputs, reader.BufferedBytes, Name);
        _metrics.BytesOut(reader.BufferedBytes);
        return staged;
    }

    /// <summary>One output through its own archive; a missing one is left for the reader to report (or not, if optional).</summary>
    private async Task ReadOneOutputAsync(DockerApi api, string helper, string name, OutputArchiveReader reader, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureParentsAreFoldersAsync(api, helper, name, cancellationToken).ConfigureAwait(false);
            // The archive names its entries from the output's last component ("f.txt", "reports/a.json").
            await ReadArchiveAsync(api, helper, name, root: null, prefix: name[..(name.LastIndexOf('/') + 1)], reader, cancellationToken).ConfigureAwait(false);
        }
        catch (VolumeFileNotFoundException)
        {
        }
    }

    /// <summary>
    /// The archive of <paramref name="path"/> (relative to the volume root; empty: the root) read into
    /// <paramref name="reader"/>, its entries named after <paramref name="root"/> or from the path's last
    /// component under <paramref name="prefix"/>.
    /// </summary>
    private async Task ReadArchiveAsync(
        DockerApi api, string helper, string path, string? root, string prefix, OutputArchiveReader reader, CancellationToken cancellationToken)
    {
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        try
        {
            var response = await api.GetArchiveAsync(helper, path.Length == 0 ? HelperContainers.MountPath : $"{HelperContainers.MountPath}/{path}", watchdog.Token).ConfigureAwait(false)
                ?? throw await NotFoundAsync(api, helper, path.Length == 0 ? "." : path).ConfigureAwait(false);
            // Disposing the response mid-archive ends the daemon's transfer too.
            await using (response.Content.ConfigureAwait(false))
            {
                await reader.ReadEntriesAsync(watchdog.Watch(response.Content), root, prefix, watchdog.Token).ConfigureAwait(false);
            }
        }
        catch (UnrequestedOutputsException e) when (root is null)
        {
            // One output's own archive holds only that output: anything else is the archive's fault.
            throw new UnsafeVolumeEntryException(Name, path, $"archive with an extra entry '{e.Path}'", "one output alone");
        }
        catch (OperationCanceledException e) when (watchdog.Stalled && !cancellationToken.IsCancellationRequested)
        {
            throw new VolumeTransferStalledException(Name, "download", _options.TransferInactivityTimeout, e);
        }
    }

    /// <summary>One folder through its own archive (not the whole volume's), read by the same reader as a run's outputs.</summary>
    private async Task<IReadOnlyDictionary<string, byte[]>> ReadFolderAsync(DockerApi api, string helper, string name, CancellationToken cancellationToken)
    {
        await EnsureParentsAreFoldersAsync(api, helper, name, cancellationToken).ConfigureAwait(false);
        // The archive names its entries after the folder's last component ("reports/a.json").
        var leaf = name[(name.LastIndexOf('/') + 1)..];
        var folder = new BytesOutputDirectory(leaf);
        var reader = new OutputArchiveReader(Name, _options, _bufferedReads, [folder], destinationOf: _ => null);
        await ReadArchiveAsync(api, helper, name, root: null, prefix: "", reader, cancellationToken).ConfigureAwait(false);
        return (IReadOnlyDictionary<string, byte[]>)Completed(reader, 1)[folder]!;
    }

    /// <summary>
    /// The daemon resolves symlinks in parent directories inside the helper's filesystem, so a tool
    /// could point "sub" elsewhere: every parent of <paramref name="name"/> must be a real directory.
    /// </summary>
    private async Task EnsureParentsAreFoldersAsync(DockerApi api, string helper, string name, CancellationToken cancellationToken)
    {
        for (var slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            var parent = await StatAsync(api, helper, name, name[..slash], cancellationToken).ConfigureAwait(false);
            if (!PathStat.IsDirectory(parent, $"{HelperContainers.MountPath}/{name[..slash]}"))
            {
                throw new UnsafeVolumeEntryException(Name, name, $"path whose parent '{name[..slash]}' is a {PathStat.Kind(parent, $"{HelperContainers.MountPath}/{name[..slash]}") ?? "regular file"}");
            }
        }
    }

    private async Task<EntryStat> StatAsync(DockerApi api, string helper, string name, string path, CancellationToken cancellationToken) =>
        await api.StatAsync(helper, $"{HelperContainers.MountPath}/{path}", cancellationToken).ConfigureAwait(false)
            ?? throw await NotFoundAsync(api, helper, name).ConfigureAwait(false);
}
