using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using VolumeGen.Archives;
using VolumeGen.Docker;
using VolumeGen.Running;

namespace VolumeGen;

/// <summary>Creating the volume and uploading its files: next to the archive writer they stream through.</summary>
public sealed partial class IsolatedContainerVolume
{
    private async Task CreateAndFillAsync(List<VolumeFile> files, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var client = _client = await DockerConnections.GetClientAsync(_options, cancellationToken).ConfigureAwait(false);
        _transfers = await DockerConnections.GetTransferClientAsync(_options, cancellationToken).ConfigureAwait(false);
        await HelperImage.EnsureAsync(client, _options.HelperImage, cancellationToken).ConfigureAwait(false);

        var engine = await EngineProfile.ForAsync(client, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _volumeExists = true; // From here on a failure may leave a volume: cleanup must try.
        // Not aborted by the caller's token: a create cancelled in flight may still complete on the
        // daemon after our cleanup looked for it, leaving a volume nobody removes.
        using var createTimeout = new CancellationTokenSource(ContainerCalls.UncancellableCallTimeout);
        var volume = await client.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = Name,
            Driver = "local",
            DriverOpts = engine.OwnerInVolumeOptions
                ? new Dictionary<string, string> { ["o"] = string.Create(CultureInfo.InvariantCulture, $"uid={Owner.Uid},gid={Owner.Gid}") }
                : null!,
            Labels = _labels.For(VolumeLabels.RoleVolume, TenantId, RunId, instance: _instance, user: Owner),
        }, createTimeout.Token).ConfigureAwait(false);
        if (volume.Labels is null || !volume.Labels.TryGetValue(_labels.Instance, out var instance) || instance != _instance)
        {
            // Someone else's volume has this name; it must survive our cleanup.
            _volumeExists = false;
            throw new VolumeGenException($"Volume '{Name}' already exists and belongs to someone else; refusing to use it.");
        }

        OwnedVolumes.Add(Name, _instance);
        Log.VolumeCreated(_logger, Name, TenantId, RunId);
        cancellationToken.ThrowIfCancellationRequested();
        var helper = await HelperContainers.CreateAsync(client, _options.HelperImage, Name, readOnly: false, HelperLabels(), cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await UploadAsync(client, helper, files, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ContainerCalls.RemoveAsync(client, helper).ConfigureAwait(false);
        }

        Log.FilesWritten(_logger, files.Count, files.Sum(f => f.Length ?? 0), Name, stopwatch.ElapsedMilliseconds);
        VolumeGenMetrics.BytesIn(files.Sum(f => f.Length ?? 0));
    }

    private async Task UploadAsync(IDockerClient client, string helper, List<VolumeFile> files, CancellationToken cancellationToken)
    {
        var layout = await EngineProfile.ForAsync(client, cancellationToken).ConfigureAwait(false);
        // Bounded by inactivity, not total time: a slow but moving upload goes on, a stalled one stops.
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        using var producing = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token);
        var writer = new VolumeArchiveWriter(Owner.Uid, Owner.Gid, _options.FileMode, _options.DirectoryMode);
        var (archive, producer) = writer.Start(layout.EntryPrefix, files, producing.Token);
        await using (archive.ConfigureAwait(false))
        {
            try
            {
                await _transfers!.Containers.ExtractArchiveToContainerAsync(
                    helper, new CopyToContainerParameters { Path = layout.ExtractPath }, watchdog.Watch(archive), watchdog.Token).ConfigureAwait(false);
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
