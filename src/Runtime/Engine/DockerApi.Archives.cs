using Docker.DotNet.Models;

namespace VolumeGen.Engine;

/// <summary>What the archive API says about a path: its size, Go <c>os.FileMode</c> bits and link target.</summary>
internal readonly record struct EntryStat(long Size, uint Mode, string? LinkTarget);

/// <summary>A path's tar stream and its stat; the caller disposes the stream.</summary>
internal sealed record EntryArchive(EntryStat Stat, Stream Content);

/// <summary>The archive endpoints: the only way files move between the worker and a volume (no bind mount, no shell).</summary>
internal sealed partial class DockerApi
{
    /// <summary>The stat of <paramref name="path"/> in the container, or null when nothing is there.</summary>
    public async Task<EntryStat?> StatAsync(string containerId, string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await calls.Containers.GetArchiveFromContainerAsync(
                containerId, new ContainerPathStatParameters { Path = path }, true, cancellationToken).ConfigureAwait(false);
            return Stat(response.Stat);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>The tar of <paramref name="path"/> in the container (over the transfer client), or null when nothing is there.</summary>
    public async Task<EntryArchive?> GetArchiveAsync(string containerId, string path, CancellationToken cancellationToken)
    {
        ContainerArchiveResponse response;
        try
        {
            response = await transfers.Containers.GetArchiveFromContainerAsync(
                containerId, new ContainerPathStatParameters { Path = path }, false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return null;
        }

        var stream = response.Stream ?? throw new ArchiveCorruptException($"'{path}' in container {containerId}", "was not returned by the engine");
        return new EntryArchive(Stat(response.Stat), stream);
    }

    /// <summary>Extracts a tar stream at <paramref name="path"/> in the container (over the transfer client).</summary>
    public Task PutArchiveAsync(string containerId, string path, Stream archive, CancellationToken cancellationToken) =>
        transfers.Containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = path }, archive, cancellationToken);

    private static EntryStat Stat(ContainerPathStatResponse? stat) =>
        stat is null ? default : new EntryStat(stat.Size, (uint)stat.Mode, stat.LinkTarget);
}
