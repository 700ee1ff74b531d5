using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using VolumeGen.Archives;
using VolumeGen.Observability;

namespace VolumeGen.Engine;

/// <summary>Creating the volume and uploading its files: next to the archive writer they stream through.</summary>
internal sealed partial class DockerVolume
{
    /// <summary>
    /// Creates the volume and uploads <paramref name="files"/> through a never-started helper, which
    /// is returned, not removed: it becomes the read helper, saving a create and a removal for the
    /// first read (a volume never read back pays its removal at cleanup instead of now). It mounts
    /// the volume read-write because Docker gives an empty volume's root its owner only through an
    /// upload; nothing ever runs in it, and an archive read writes nothing.
    /// With <paramref name="outputs"/> (a run's empty output volume, same owner and options) both
    /// volumes are created and filled through one helper, which becomes the output's read helper: one
    /// helper per run instead of two, and on Docker one upload.
    /// </summary>
    private async Task<string> CreateAndFillAsync(List<VolumeFile> files, DockerVolume? outputs, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        await HelperImage.EnsureAsync(api, _options.HelperImage, cancellationToken).ConfigureAwait(false);

        var engine = await EngineProfile.ForAsync(api, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await Task.WhenAll(CreateVolumeAsync(api, engine), outputs?.CreateVolumeAsync(api, engine) ?? Task.CompletedTask).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        // The helper mounts the volume it will read at the usual place; a run's input volume beside it.
        IReadOnlyList<(string Volume, string MountPath, IReadOnlyList<VolumeFile> Files, IReadOnlyList<string> Folders)> mounts = outputs is null
            ? [(Name, HelperContainers.MountPath, files, OutputFolders)]
            : [(Name, HelperContainers.InputMountPath, files, OutputFolders), (outputs.Name, HelperContainers.MountPath, [], outputs.OutputFolders)];
        var reader = outputs ?? this;
        var helper = await HelperContainers.CreateAsync(
            api, _options.HelperImage, mounts.Select(m => (m.Volume, m.MountPath)).ToList(), readOnly: false, reader.HelperLabels(), cancellationToken).ConfigureAwait(false);
        // On a failure from here on the helper goes with the volumes: their removal takes our containers on them.
        cancellationToken.ThrowIfCancellationRequested();
        await UploadAsync(api, helper, engine, mounts.Select(m => (m.MountPath, m.Files, m.Folders)).ToList(), cancellationToken).ConfigureAwait(false);
        Log.FilesWritten(_logger, files.Count, files.Sum(f => f.Length ?? 0), Name, stopwatch.ElapsedMilliseconds);
        _metrics.BytesIn(files.Sum(f => f.Length ?? 0));
        return helper;
    }

    /// <summary>Creates the volume with our labels (and, where the engine takes it so, its owner), refusing a name someone else holds.</summary>
    private async Task CreateVolumeAsync(DockerApi api, EngineProfile engine)
    {
        _api = api;
        _volumeExists = true; // From here on a failure may leave a volume: cleanup must try.
        var volume = await api.CreateVolumeAsync(
            Name,
            engine.OwnerInVolumeOptions ? new Dictionary<string, string> { ["o"] = string.Create(CultureInfo.InvariantCulture, $"uid={Owner.Uid},gid={Owner.Gid}") } : null,
            _labels.For(VolumeLabels.RoleVolume, TenantId, RunId, instance: _instance, user: Owner)).ConfigureAwait(false);
        if (!volume.Labels.TryGetValue(_labels.Instance, out var instance) || instance != _instance)
        {
            // Someone else's volume has this name; it must survive our cleanup.
            _volumeExists = false;
            throw new VolumeNameTakenException(Name);
        }

        OwnedVolumes.Add(Name, _instance);
        Log.VolumeCreated(_logger, Name, TenantId, RunId);
    }

    /// <summary>Fills the helper's volumes, given as (mount path, files), in as few uploads as the engine allows.</summary>
    private async Task UploadAsync(
        DockerApi api, string helper, EngineProfile engine, IReadOnlyList<(string MountPath, IReadOnlyList<VolumeFile> Files, IReadOnlyList<string> Folders)> volumes, CancellationToken cancellationToken)
    {
        foreach (var (extractPath, roots) in engine.Uploads(volumes))
        {
            await UploadAsync(api, helper, extractPath, roots, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UploadAsync(DockerApi api, string helper, string extractPath, IReadOnlyList<ArchiveRoot> roots, CancellationToken cancellationToken)
    {
        // Bounded by inactivity, not total time: a slow but moving upload goes on, a stalled one stops.
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        using var producing = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token);
        var writer = new VolumeArchiveWriter(Owner.Uid, Owner.Gid, _options.FileMode, _options.DirectoryMode);
        var (archive, producer) = writer.Start(roots, producing.Token);
        await using (archive.ConfigureAwait(false))
        {
            try
            {
                await api.PutArchiveAsync(helper, extractPath, watchdog.Watch(archive), watchdog.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Stop the producer (it may be blocked on a pipe nobody reads) before leaving.
                await producing.CancelAsync().ConfigureAwait(false);
                await producer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
                if (watchdog.Stalled && !cancellationToken.IsCancellationRequested)
                {
                    throw new VolumeTransferStalledException(Name, "upload", _options.TransferInactivityTimeout, e);
                }

                if (producer.IsFaulted)
                {
                    // A source stream that broke the upload (too short, too long, failing) is the real error.
                    await producer.ConfigureAwait(false);
                }

                throw;
            }

            await producer.ConfigureAwait(false);
        }
    }
}
