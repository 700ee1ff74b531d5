using VolumeGen.Archives;
using VolumeGen.Engine;

namespace VolumeGen;

/// <summary>Reading files back through the archive API, bounded and checked.</summary>
public sealed partial class IsolatedContainerVolume
{
    /// <summary>A 404 from the archive API means a missing file only while the helper still exists.</summary>
    private async Task<Exception> NotFoundAsync(DockerApi api, string helper, string name)
    {
        using var timeout = new CancellationTokenSource(DockerApi.UncancellableCallTimeout);
        return await api.ContainerExistsAsync(helper, timeout.Token).ConfigureAwait(false)
            ? new VolumeFileNotFoundException(Name, name)
            : new VolumeGenException($"The read helper of volume '{Name}' was removed while '{name}' was being read " +
                "(an operator's `docker container prune`?); the file's presence is unknown. Read it again.");
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
    /// prepared while the tool ran), with the rules and limits of the single reads; see <see cref="OutputArchiveReader"/>.
    /// </summary>
    internal async Task<StagedOutputs> ReadOutputsAsync(IReadOnlyList<ToolOutputFile> files, IReadOnlyList<ToolOutputDirectory> folders, CancellationToken cancellationToken)
    {
        StagedOutputs? staged = null;
        await WithReadHelperAsync(
            async (api, helper) => staged = await ReadArchiveAsync(api, helper, "", HelperContainers.MountPath.TrimStart('/'), files, folders, cancellationToken).ConfigureAwait(false),
            cancellationToken,
            removeHelper: _options.BackgroundCleanup is null).ConfigureAwait(false);
        return staged!;
    }

    /// <summary>The archive of <paramref name="path"/> (relative to the volume root; empty: the root), read for the requested files and folders.</summary>
    private async Task<StagedOutputs> ReadArchiveAsync(
        DockerApi api, string helper, string path, string? root, IReadOnlyList<ToolOutputFile> files, IReadOnlyList<ToolOutputDirectory> folders, CancellationToken cancellationToken)
    {
        var reader = new OutputArchiveReader(Name, _options, _bufferedReads, files, folders);
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        try
        {
            var response = await api.GetArchiveAsync(helper, path.Length == 0 ? HelperContainers.MountPath : $"{HelperContainers.MountPath}/{path}", watchdog.Token).ConfigureAwait(false)
                ?? throw await NotFoundAsync(api, helper, path.Length == 0 ? "." : path).ConfigureAwait(false);
            StagedOutputs staged;
            await using (response.Content.ConfigureAwait(false))
            {
                staged = await reader.ReadAsync(watchdog.Watch(response.Content), root, watchdog.Token).ConfigureAwait(false);
            }

            Log.FilesRead(_logger, files.Count + folders.Count, reader.BufferedBytes, Name);
            VolumeGenMetrics.BytesOut(reader.BufferedBytes);
            return staged;
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
        var staged = await ReadArchiveAsync(api, helper, name, root: null, [], [new ToolOutputDirectory(leaf, ToolOutputKind.Bytes)], cancellationToken).ConfigureAwait(false);
        return (IReadOnlyDictionary<string, byte[]>)staged.Directories[leaf].Value!;
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
