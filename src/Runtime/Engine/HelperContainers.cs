using Docker.DotNet.Models;

namespace VolumeGen.Engine;

/// <summary>
/// Never-started containers that only exist so the archive API can reach a volume: no process of
/// any image ever runs against the volume's files on our side.
/// </summary>
internal static class HelperContainers
{
    /// <summary>Where the helper mounts the volume it reads (and, alone, the one it fills).</summary>
    public const string MountPath = "/data";

    /// <summary>Where a run's helper mounts the input volume it fills beside the output volume at <see cref="MountPath"/>.</summary>
    public const string InputMountPath = "/in";

    public static Task<string> CreateAsync(
        DockerApi api, string image, string volumeName, bool readOnly,
        IDictionary<string, string> labels, CancellationToken cancellationToken) =>
        CreateAsync(api, image, [(volumeName, MountPath)], readOnly, labels, cancellationToken);

    /// <summary>A helper with each (volume, mount path) of <paramref name="volumes"/> mounted.</summary>
    public static async Task<string> CreateAsync(
        DockerApi api, string image, IReadOnlyList<(string VolumeName, string MountPath)> volumes, bool readOnly,
        IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var parameters = Parameters(image, volumes, readOnly, labels);
        try
        {
            return await api.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            // The image was removed since it was checked (an operator's prune): make sure of it
            // again (the default one is imported anew) and try once more.
            HelperImage.Forget(api, image);
            await HelperImage.EnsureAsync(api, image, cancellationToken).ConfigureAwait(false);
            return await api.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A container of <paramref name="image"/> that exists only for the archive API: never started,
    /// so no process of the image ever runs; no network. <paramref name="host"/> brings its mounts.
    /// </summary>
    public static CreateContainerParameters NeverStarted(string image, IDictionary<string, string> labels, HostConfig host)
    {
        host.NetworkMode = "none";
        return new CreateContainerParameters
        {
            Image = image,
            // Never started: the entrypoint only satisfies the create call (the helper image has none).
            Entrypoint = ["/volumegen-never-runs"],
            Labels = labels,
            NetworkDisabled = true,
            HostConfig = host,
        };
    }

    private static CreateContainerParameters Parameters(
        string image, IReadOnlyList<(string VolumeName, string MountPath)> volumes, bool readOnly, IDictionary<string, string> labels) =>
        NeverStarted(image, labels, new HostConfig
        {
            Mounts = volumes.Select(volume => new Mount
            {
                Type = "volume",
                Source = volume.VolumeName,
                Target = volume.MountPath,
                ReadOnly = readOnly,
                VolumeOptions = new VolumeOptions { NoCopy = true },
            }).ToList(),
        });
}
