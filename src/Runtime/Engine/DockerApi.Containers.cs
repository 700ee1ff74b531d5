using Docker.DotNet;
using Docker.DotNet.Models;

namespace VolumeGen.Engine;

/// <summary>A container as the engine lists it: its state, labels and the named volumes it mounts.</summary>
internal sealed record EngineContainer(string Id, string State, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> VolumeNames);

/// <summary>Container calls, for helpers, probes and tools alike.</summary>
internal sealed partial class DockerApi
{
    /// <summary>Up to ~1.5 s of retries in all (100, 200, 400, 800 ms between them).</summary>
    private const int ContainerRemovalAttempts = 5;

    /// <summary>
    /// Creates a container without letting the caller's token abort the request: a request cancelled
    /// in flight may still create the container on the daemon, and its ID would never reach the code
    /// that removes it. The token is honored before and after (the caller removes what came back).
    /// </summary>
    public async Task<string> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(UncancellableCallTimeout);
        return (await calls.Containers.CreateContainerAsync(parameters, timeout.Token).ConfigureAwait(false)).ID;
    }

    /// <summary>
    /// Force-removes a container and the anonymous volumes it got (an image <c>VOLUME</c> nothing
    /// covered); named volumes, ours included, are never removed this way (checked on Docker and
    /// Podman). Already gone counts as removed. Ignores the caller's cancellation on purpose: a
    /// removal is what a cancelled run needs most. A transient refusal is retried a few times: Podman
    /// answers "container state improper" to a forced removal of a tool it is still stopping (a run
    /// cancelled just as its tool started), Docker a conflict while another removal of it is under way.
    /// </summary>
    public async Task RemoveContainerAsync(string containerId)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = new CancellationTokenSource(UncancellableCallTimeout);
            try
            {
                await calls.Containers.RemoveContainerAsync(
                    containerId,
                    new ContainerRemoveParameters { Force = true, RemoveVolumes = true },
                    timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (DockerErrors.IsNotFound(e))
            {
                return;
            }
            catch (DockerApiException e) when (attempt < ContainerRemovalAttempts && DockerErrors.IsTransient(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public async Task<bool> ContainerExistsAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await calls.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>Every container (running or not) matching the engine-side filters; null filters list all, foreign ones too.</summary>
    public async Task<IReadOnlyList<EngineContainer>> ListContainersAsync(IDictionary<string, IDictionary<string, bool>>? filters, CancellationToken cancellationToken)
    {
        var containers = await calls.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filters! }, cancellationToken).ConfigureAwait(false);
        return containers.Select(c => new EngineContainer(
            c.ID,
            c.State ?? "",
            c.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels, StringComparer.Ordinal),
            (c.Mounts ?? []).Where(m => m.Type == "volume" && m.Name is not null).Select(m => m.Name!).ToList())).ToList();
    }

    /// <summary>
    /// Starts a created container and waits for it to exit, its output kept in <paramref name="stdout"/>
    /// and <paramref name="stderr"/>. Attached before the start so not a byte is missed;
    /// <paramref name="started"/> is called once it runs. The exit code, or the token's cancellation
    /// (the caller removes the container, which kills it).
    /// </summary>
    public async Task<long> RunAttachedAsync(string containerId, CappedOutput stdout, CappedOutput stderr, Action started, CancellationToken cancellationToken)
    {
        using var stream = await calls.Containers.AttachContainerAsync(
            containerId, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, cancellationToken).ConfigureAwait(false);
        await calls.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
        started();
        var buffer = new byte[81920];
        while (true)
        {
            var result = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (result.EOF)
            {
                break;
            }

            var target = result.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
            target.Append(buffer.AsSpan(0, result.Count));
        }

        return (await calls.Containers.WaitContainerAsync(containerId, cancellationToken).ConfigureAwait(false)).StatusCode;
    }
}
