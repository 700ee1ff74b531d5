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

    /// <summary>How long a create or remove call may take: those are not aborted by the caller's token.</summary>
    public static readonly TimeSpan UncancellableCallTimeout = TimeSpan.FromSeconds(30);

    public static async Task<string> CreateAsync(
        IDockerClient client, string image, string volumeName, bool readOnly,
        IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var response = await CreateUncancellablyAsync(client, new CreateContainerParameters
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

    /// <summary>
    /// Creates a container without letting the caller's token abort the request: a request cancelled
    /// in flight may still create the container on the daemon, and its ID would never reach the code
    /// that removes it. The token is honored before and after (the caller removes what came back).
    /// </summary>
    public static async Task<CreateContainerResponse> CreateUncancellablyAsync(
        IDockerClient client, CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(UncancellableCallTimeout);
        return await client.Containers.CreateContainerAsync(parameters, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Force-removes a container; already gone counts as removed. Ignores the caller's cancellation on purpose.</summary>
    public static async Task RemoveAsync(IDockerClient client, string containerId)
    {
        using var timeout = new CancellationTokenSource(UncancellableCallTimeout);
        try
        {
            await client.Containers.RemoveContainerAsync(
                containerId,
                new ContainerRemoveParameters { Force = true, RemoveVolumes = false },
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
        }
    }
}
