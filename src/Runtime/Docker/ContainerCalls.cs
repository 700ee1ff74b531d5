using Docker.DotNet;
using Docker.DotNet.Models;

namespace VolumeGen.Docker;

/// <summary>
/// Container and volume calls that the caller's token must not abort, for helpers and tools alike:
/// a create cancelled in flight may still complete on the daemon where nobody removes it, and a
/// removal is what a cancelled run needs most.
/// </summary>
internal static class ContainerCalls
{
    /// <summary>How long a create or remove call may take: those are not aborted by the caller's token.</summary>
    public static readonly TimeSpan UncancellableCallTimeout = TimeSpan.FromSeconds(30);

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

    /// <summary>
    /// Force-removes a container and the anonymous volumes it got (an image <c>VOLUME</c> nothing
    /// covered); named volumes, ours included, are never removed this way (checked on Docker and
    /// Podman). Already gone counts as removed. Ignores the caller's cancellation on purpose.
    /// </summary>
    public static async Task RemoveAsync(IDockerClient client, string containerId)
    {
        using var timeout = new CancellationTokenSource(UncancellableCallTimeout);
        try
        {
            await client.Containers.RemoveContainerAsync(
                containerId,
                new ContainerRemoveParameters { Force = true, RemoveVolumes = true },
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
        }
    }
}
