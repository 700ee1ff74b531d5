using Docker.DotNet;
using Docker.DotNet.Models;
using VolumeGen.Archives;
using VolumeGen.Docker;

namespace VolumeGen;

/// <summary>Reading files back through the archive API, bounded and checked.</summary>
public sealed partial class IsolatedContainerVolume
{
    /// <summary>A 404 from the archive API means a missing file only while the helper still exists.</summary>
    private async Task<Exception> NotFoundAsync(IDockerClient client, string helper, string name)
    {
        using var timeout = new CancellationTokenSource(ContainerCalls.UncancellableCallTimeout);
        return await ContainerExistsAsync(client, helper, timeout.Token).ConfigureAwait(false)
            ? new VolumeFileNotFoundException(Name, name)
            : new VolumeGenException($"The read helper of volume '{Name}' was removed while '{name}' was being read " +
                "(an operator's `docker container prune`?); the file's presence is unknown. Read it again.");
    }

    private async Task<long> CopyOutAsync(
        IDockerClient client, string helper, string name, IReadOnlyList<ByteBudget> budgets, Stream destination, CancellationToken cancellationToken)
    {
        // The daemon resolves symlinks in parent directories inside the helper's filesystem, so a
        // tool could point "sub" elsewhere: every parent must be a real directory.
        for (var slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            var parent = await StatAsync(client, helper, name, name[..slash], cancellationToken).ConfigureAwait(false);
            if (!PathStat.IsDirectory(parent, $"{HelperContainers.MountPath}/{name[..slash]}"))
            {
                throw new UnsafeVolumeEntryException(Name, name, $"path whose parent '{name[..slash]}' is a {PathStat.Kind(parent, $"{HelperContainers.MountPath}/{name[..slash]}") ?? "regular file"}");
            }
        }

        // Bounded by inactivity, not total time, like uploads.
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        try
        {
            ContainerArchiveResponse response;
            try
            {
                response = await _transfers!.Containers.GetArchiveFromContainerAsync(
                    helper, new ContainerPathStatParameters { Path = $"{HelperContainers.MountPath}/{name}" }, false, watchdog.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (DockerErrors.IsNotFound(e))
            {
                throw await NotFoundAsync(client, helper, name).ConfigureAwait(false);
            }

            var archive = response.Stream ?? throw new VolumeGenException($"The daemon returned no archive for '{name}' in volume '{Name}'.");
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

    private async Task<ContainerPathStatResponse> StatAsync(IDockerClient client, string helper, string name, string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.Containers.GetArchiveFromContainerAsync(
                helper, new ContainerPathStatParameters { Path = $"{HelperContainers.MountPath}/{path}" }, true, cancellationToken).ConfigureAwait(false);
            return response.Stat;
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            throw await NotFoundAsync(client, helper, name).ConfigureAwait(false);
        }
    }
}
