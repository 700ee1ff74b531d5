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

                foreach (var budget in budgets)
                {
                    budget.EnsureFits(response.Stat.Size, Name, name);
                }

                return await SingleFileArchiveReader.CopyAsync(watchdog.Watch(archive), Name, name, budgets, destination, watchdog.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (watchdog.Stalled && !cancellationToken.IsCancellationRequested)
        {
            throw new VolumeTransferStalledException(Name, "download", _options.TransferInactivityTimeout, e);
        }
    }

    private async Task<IReadOnlyDictionary<string, byte[]>> ReadFolderAsync(
        DockerApi api, string helper, string name, IReadOnlyList<ByteBudget> budgets, CancellationToken cancellationToken)
    {
        await EnsureParentsAreFoldersAsync(api, helper, name, cancellationToken).ConfigureAwait(false);
        var path = $"{HelperContainers.MountPath}/{name}";
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        try
        {
            var response = await api.GetArchiveAsync(helper, path, watchdog.Token).ConfigureAwait(false)
                ?? throw await NotFoundAsync(api, helper, name).ConfigureAwait(false);
            await using (response.Content.ConfigureAwait(false))
            {
                // A link to a folder would be archived as the link alone on Docker, and followed on Podman.
                if (!PathStat.IsDirectory(response.Stat, path))
                {
                    throw new UnsafeVolumeEntryException(Name, name, PathStat.Kind(response.Stat, path) ?? "regular file", "a folder");
                }

                return await DirectoryArchiveReader.ReadAsync(
                    watchdog.Watch(response.Content), Name, name, _options.MaxEntries, _options.MaxFileBytes, budgets, watchdog.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (watchdog.Stalled && !cancellationToken.IsCancellationRequested)
        {
            throw new VolumeTransferStalledException(Name, "download", _options.TransferInactivityTimeout, e);
        }
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
