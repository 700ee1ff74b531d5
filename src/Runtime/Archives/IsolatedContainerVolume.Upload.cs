using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using VolumeGen.Archives;
using VolumeGen.Engine;
using VolumeGen.Running;

namespace VolumeGen;

/// <summary>Creating the volume and uploading its files: next to the archive writer they stream through.</summary>
public sealed partial class IsolatedContainerVolume
{
    /// <summary>
    /// Creates the volume and uploads <paramref name="files"/> through a never-started helper. For an
    /// empty volume (an output volume) that helper is returned, not removed: it becomes the read
    /// helper, saving a create and a removal per run. It mounts the volume read-write because Docker
    /// gives an empty volume's root its owner only through an upload; nothing ever runs in it, and an
    /// archive read writes nothing. Null when the helper was removed.
    /// </summary>
    private async Task<string?> CreateAndFillAsync(List<VolumeFile> files, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var api = _api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        await HelperImage.EnsureAsync(api, _options.HelperImage, cancellationToken).ConfigureAwait(false);

        var engine = await EngineProfile.ForAsync(api, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _volumeExists = true; // From here on a failure may leave a volume: cleanup must try.
        var volume = await api.CreateVolumeAsync(
            Name,
            engine.OwnerInVolumeOptions ? new Dictionary<string, string> { ["o"] = string.Create(CultureInfo.InvariantCulture, $"uid={Owner.Uid},gid={Owner.Gid}") } : null,
            _labels.For(VolumeLabels.RoleVolume, TenantId, RunId, instance: _instance, user: Owner)).ConfigureAwait(false);
        if (!volume.Labels.TryGetValue(_labels.Instance, out var instance) || instance != _instance)
        {
            // Someone else's volume has this name; it must survive our cleanup.
            _volumeExists = false;
            throw new VolumeGenException($"Volume '{Name}' already exists and belongs to someone else; refusing to use it.");
        }

        OwnedVolumes.Add(Name, _instance);
        Log.VolumeCreated(_logger, Name, TenantId, RunId);
        cancellationToken.ThrowIfCancellationRequested();
        var helper = await HelperContainers.CreateAsync(api, _options.HelperImage, Name, readOnly: false, HelperLabels(), cancellationToken).ConfigureAwait(false);
        var keepAsReadHelper = false;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await UploadAsync(api, helper, files, cancellationToken).ConfigureAwait(false);
            keepAsReadHelper = files.Count == 0;
        }
        finally
        {
            if (!keepAsReadHelper)
            {
                await api.RemoveContainerAsync(helper).ConfigureAwait(false);
            }
        }

        Log.FilesWritten(_logger, files.Count, files.Sum(f => f.Length ?? 0), Name, stopwatch.ElapsedMilliseconds);
        VolumeGenMetrics.BytesIn(files.Sum(f => f.Length ?? 0));
        return keepAsReadHelper ? helper : null;
    }

    private async Task UploadAsync(DockerApi api, string helper, List<VolumeFile> files, CancellationToken cancellationToken)
    {
        var layout = await EngineProfile.ForAsync(api, cancellationToken).ConfigureAwait(false);
        // Bounded by inactivity, not total time: a slow but moving upload goes on, a stalled one stops.
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        using var producing = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token);
        var writer = new VolumeArchiveWriter(Owner.Uid, Owner.Gid, _options.FileMode, _options.DirectoryMode);
        var (archive, producer) = writer.Start(layout.EntryPrefix, files, producing.Token);
        await using (archive.ConfigureAwait(false))
        {
            try
            {
                await api.PutArchiveAsync(helper, layout.ExtractPath, watchdog.Watch(archive), watchdog.Token).ConfigureAwait(false);
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
