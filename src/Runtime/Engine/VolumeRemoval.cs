using Microsoft.Extensions.Logging;
using VolumeGen.Observability;

namespace VolumeGen.Engine;

/// <summary>How a removal ended: the containers of ours it removed first, and the failure once the attempts were used up.</summary>
internal sealed record VolumeRemovalResult(bool WasThere, IReadOnlyList<string> RemovedContainers, int Attempts, Exception? Failure);

/// <summary>
/// Removing one of VolumeGen's volumes, the same way for a run's own cleanup and for the sweeper:
/// the volume at once when nothing holds it (a run's usual case: one call); else first the containers
/// of ours that still hold it (helpers left by an interrupted read, a tool whose removal did not
/// complete), then the volume, retried with backoff while the engine reports it busy (a container that
/// just exited may hold it for a moment). Containers that are not ours are never removed: they make the
/// removal fail, and that is reported.
/// </summary>
internal static class VolumeRemoval
{
    /// <summary>
    /// Removes <paramref name="name"/> and our containers holding it, up to <paramref name="attempts"/>
    /// times with a doubling <paramref name="retryDelay"/>; retries are logged to <paramref name="logger"/>.
    /// <paramref name="api"/>, <paramref name="labels"/>: the engine and the label keys of ours.
    /// <paramref name="cancellationToken"/> only stops the waiting between attempts: the first attempt is always made.
    /// </summary>
    public static async Task<VolumeRemovalResult> RemoveAsync(
        DockerApi api, string name, VolumeLabels labels, int attempts, TimeSpan retryDelay, ILogger logger, CancellationToken cancellationToken)
    {
        attempts = Math.Max(1, attempts);
        try
        {
            using var timeout = new CancellationTokenSource(DockerApi.UncancellableCallTimeout);
            return new VolumeRemovalResult(await api.RemoveVolumeAsync(name, timeout.Token).ConfigureAwait(false), [], 1, null);
        }
        catch (Exception e) when (DockerErrors.IsTransient(e) || e is OperationCanceledException)
        {
            // In use (409 on Docker, 500 on some Podman versions) or the engine was busy: the attempts
            // below look for our containers holding it first. Not counted as one of them.
        }
        catch (Exception e)
        {
            return new VolumeRemovalResult(true, [], 1, e);
        }

        var removedContainers = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(DockerApi.UncancellableCallTimeout);
                var filters = labels.Filter();
                filters["volume"] = new Dictionary<string, bool> { [name] = true };
                var holders = await api.ListContainersAsync(filters, timeout.Token).ConfigureAwait(false);
                // Checked here as well: an engine that ORs the filters must not make us remove others' containers.
                foreach (var container in holders.Where(c => labels.Matches(c.Labels) && c.VolumeNames.Contains(name)))
                {
                    await api.RemoveContainerAsync(container.Id).ConfigureAwait(false);
                    removedContainers.Add(container.Id);
                }

                var wasThere = await api.RemoveVolumeAsync(name, timeout.Token).ConfigureAwait(false);
                return new VolumeRemovalResult(wasThere, removedContainers, attempt, null);
            }
            catch (Exception e) when (attempt < attempts && (DockerErrors.IsTransient(e) || e is OperationCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                Log.VolumeRemovalRetry(logger, e, name, attempt, attempts);
                try
                {
                    await Task.Delay(retryDelay * Math.Pow(2, attempt - 1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return new VolumeRemovalResult(true, removedContainers, attempt, e);
                }
            }
            catch (Exception e)
            {
                return new VolumeRemovalResult(true, removedContainers, attempt, e);
            }
        }
    }
}
