using Docker.DotNet;
using VolumeGen.Docker;

namespace VolumeGen;

/// <summary>The read-helper slot: one never-started container per volume, prepared ahead and replaced if pruned.</summary>
public sealed partial class IsolatedContainerVolume
{
    private async Task WithReadHelperAsync(Func<IDockerClient, string, Task> read, CancellationToken cancellationToken)
    {
        EnsureReady();
        // Held for the whole read: a helper created after a concurrent cleanup removed the volume
        // would make Docker silently create a new, unlabeled volume of the same name.
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureReady();
            var client = _client!;
            using var activity = VolumeGenTelemetry.Start("volume.read", Name);
            using var timer = VolumeGenMetrics.Time("read");
            var helper = await TakeLivePreparedReadHelperAsync(client, cancellationToken).ConfigureAwait(false)
                ?? await CreateReadHelperAsync(client, cancellationToken).ConfigureAwait(false);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await read(client, helper).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                activity.Fail(e);
                throw;
            }
            finally
            {
                await ContainerCalls.RemoveAsync(client, helper).ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private Task<string> CreateReadHelperAsync(IDockerClient client, CancellationToken cancellationToken) =>
        HelperContainers.CreateAsync(client, _options.HelperImage, Name, readOnly: true, HelperLabels(), cancellationToken);

    /// <summary>The helper prepared at initialize, if it was and its creation succeeded; each is used once.</summary>
    private async Task<string?> TakePreparedReadHelperAsync()
    {
        var prepared = Interlocked.Exchange(ref _preparedReadHelper, null);
        if (prepared is null)
        {
            return null;
        }

        try
        {
            return await prepared.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // the caller creates one the usual way and reports what goes wrong then
        }
    }

    /// <summary>
    /// The prepared helper if it still exists: an operator's <c>docker container prune</c> while the
    /// tool ran removes it, and a read through a removed container would look like a missing file.
    /// </summary>
    private async Task<string?> TakeLivePreparedReadHelperAsync(IDockerClient client, CancellationToken cancellationToken)
    {
        if (await TakePreparedReadHelperAsync().ConfigureAwait(false) is not { } helper)
        {
            return null;
        }

        return await ContainerExistsAsync(client, helper, cancellationToken).ConfigureAwait(false) ? helper : null;
    }

    private static async Task<bool> ContainerExistsAsync(IDockerClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            await client.Containers.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return false;
        }
    }
}
