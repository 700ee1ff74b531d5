using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using VolumeGen.Docker;

namespace VolumeGen;

/// <summary>Removing the volume and whatever still holds it, with retries; what could not be removed is reported.</summary>
public sealed partial class IsolatedContainerVolume
{
    private async Task RemoveEverythingAsync(CancellationToken cancellationToken)
    {
        if (!_volumeExists || _client is not { } client)
        {
            return;
        }

        using var activity = VolumeGenTelemetry.Start("volume.cleanup", Name);
        using var timer = VolumeGenMetrics.Time("cleanup");
        // A read helper still being created must exist before the removal below looks for the
        // containers on this volume (which removes it, with retries, like any other).
        await TakePreparedReadHelperAsync().ConfigureAwait(false);

        var attempts = Math.Max(1, _options.CleanupAttempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RemoveContainersUsingVolumeAsync(client).ConfigureAwait(false);
                using var timeout = new CancellationTokenSource(ContainerCalls.UncancellableCallTimeout);
                await client.Volumes.RemoveAsync(Name, false, timeout.Token).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (DockerErrors.IsNotFound(e))
            {
                break;
            }
            catch (Exception e) when (attempt < attempts && IsRetryable(e) && !cancellationToken.IsCancellationRequested)
            {
                Log.VolumeRemovalRetry(_logger, e, Name, attempt, attempts);
                try
                {
                    await Task.Delay(_options.CleanupRetryDelay * Math.Pow(2, attempt - 1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw Leaked(activity, attempt, e);
                }
            }
            catch (Exception e)
            {
                throw Leaked(activity, attempt, e);
            }
        }

        _volumeExists = false;
        AbandonedVolumes.Remove(Name);
        Log.VolumeRemoved(_logger, Name);
    }

    private static bool IsRetryable(Exception e) => DockerErrors.IsTransient(e) || e is OperationCanceledException;

    private VolumeCleanupException Leaked(Activity? activity, int attempt, Exception cause)
    {
        // The run is over even though this process lives on: let the sweeper take the volume.
        AbandonedVolumes.Add(Name);
        var error = new VolumeCleanupException(Name, attempt, cause);
        activity.Fail(error);
        Log.VolumeLeaked(_logger, error, Name);
        VolumeGenMetrics.CleanupFailed();
        return error;
    }

    /// <summary>
    /// Removes the containers VolumeGen created that still hold this volume: helpers left by an
    /// interrupted read, or a tool container whose removal did not complete. Other containers are
    /// not ours to remove; they make the volume removal fail and be reported.
    /// </summary>
    private async Task RemoveContainersUsingVolumeAsync(IDockerClient client)
    {
        using var timeout = new CancellationTokenSource(ContainerCalls.UncancellableCallTimeout);
        var filters = _labels.Filter();
        filters["volume"] = new Dictionary<string, bool> { [Name] = true };
        var containers = await client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filters }, timeout.Token).ConfigureAwait(false);
        // Checked here as well: an engine that ORs the filters must not make us remove others' containers.
        foreach (var container in containers.Where(c => _labels.Matches(c.Labels) && c.Mounts?.Any(m => m.Name == Name) == true))
        {
            await ContainerCalls.RemoveAsync(client, container.ID).ConfigureAwait(false);
        }
    }

    private Dictionary<string, string> HelperLabels() =>
        _labels.For(VolumeLabels.RoleHelper, TenantId, RunId, volumeName: Name);
}
