using Docker.DotNet;
using Docker.DotNet.Models;

namespace VolumeGen.Docker;

/// <summary>
/// Never-started containers that only exist so the archive API can reach a volume: no process of
/// any image ever runs against the volume's files on our side.
/// </summary>
internal static class HelperContainers
{
    /// <summary>Where the helper mounts the volume.</summary>
    public const string MountPath = "/data";

    public static async Task<string> CreateAsync(
        IDockerClient client, string image, string volumeName, bool readOnly,
        IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var response = await ContainerCalls.CreateUncancellablyAsync(client, new CreateContainerParameters
        {
            Image = image,
            // The image has no command and the container is never started; Docker still wants one.
            Cmd = ["/volumegen-helper-never-runs"],
            Labels = labels,
            NetworkDisabled = true,
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                Mounts =
                [
                    new Mount
                    {
                        Type = "volume",
                        Source = volumeName,
                        Target = MountPath,
                        ReadOnly = readOnly,
                        VolumeOptions = new VolumeOptions { NoCopy = true },
                    },
                ],
            },
        }, cancellationToken).ConfigureAwait(false);
        return response.ID;
    }
}
