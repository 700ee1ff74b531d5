using Docker.DotNet.Models;

namespace VolumeGen.Engine;

/// <summary>A volume as the engine reports it.</summary>
internal sealed record EngineVolume(string Name, string Driver, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Options);

/// <summary>Volume calls.</summary>
internal sealed partial class DockerApi
{
    /// <summary>
    /// Creates a local volume. Not aborted by the caller's token: a create cancelled in flight may
    /// still complete on the daemon after cleanup looked for it, leaving a volume nobody removes.
    /// The engine silently returns an existing volume of the same name: the caller checks its labels.
    /// </summary>
    public async Task<EngineVolume> CreateVolumeAsync(string name, IDictionary<string, string>? driverOptions, IDictionary<string, string> labels)
    {
        using var timeout = new CancellationTokenSource(UncancellableCallTimeout);
        var volume = await calls.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = name,
            Driver = "local",
            DriverOpts = driverOptions!,
            Labels = labels,
        }, timeout.Token).ConfigureAwait(false);
        return Describe(volume);
    }

    /// <summary>The volume, or null when there is none of that name.</summary>
    public async Task<EngineVolume?> InspectVolumeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return Describe(await calls.Volumes.InspectAsync(name, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Removes a volume (never forced: one a container holds stays); false when it was already gone.</summary>
    public async Task<bool> RemoveVolumeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await calls.Volumes.RemoveAsync(name, false, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>The volumes matching the engine-side label filters (the caller checks the labels again).</summary>
    public async Task<IReadOnlyList<EngineVolume>> ListVolumesAsync(IDictionary<string, IDictionary<string, bool>> filters, CancellationToken cancellationToken)
    {
        var response = await calls.Volumes.ListAsync(new VolumesListParameters { Filters = filters }, cancellationToken).ConfigureAwait(false);
        return (response.Volumes ?? []).Select(Describe).ToList();
    }

    private static EngineVolume Describe(VolumeResponse volume) => new(
        volume.Name,
        volume.Driver ?? "",
        ReadOnly(volume.Labels),
        ReadOnly(volume.Options));

    private static IReadOnlyDictionary<string, string> ReadOnly(IDictionary<string, string>? values) =>
        values is null ? new Dictionary<string, string>() : new Dictionary<string, string>(values, StringComparer.Ordinal);
}
