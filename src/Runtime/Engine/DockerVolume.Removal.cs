using System.Diagnostics;
using VolumeGen.Observability;
using VolumeGen.Sweeping;

namespace VolumeGen.Engine;

/// <summary>Removing the volume and whatever still holds it, with retries; what could not be removed is reported.</summary>
internal sealed partial class DockerVolume
{
    private async Task RemoveEverythingAsync(CancellationToken cancellationToken)
    {
        if (!_volumeExists || _api is null)
        {
            return;
        }

        using var activity = VolumeGenTelemetry.Start("volume.cleanup", Name);
        using var timer = _metrics.Time("cleanup");
        // The read helper prepared at initialize and never used is ours by ID: removed directly, so the
        // volume's removal usually finds nothing holding it (and looks for what does only then).
        if (await TakePreparedReadHelperAsync().ConfigureAwait(false) is { } helper)
        {
            await RemovePreparedHelperAsync(_api, helper).ConfigureAwait(false);
        }

        var removal = await VolumeRemoval.RemoveAsync(_api, Name, _labels, _options.CleanupAttempts, _options.CleanupRetryDelay, _logger, cancellationToken).ConfigureAwait(false);
        if (removal.Failure is { } failure)
        {
            throw Leaked(activity, removal.Attempts, failure);
        }

        _volumeExists = false;
        AbandonedVolumes.Remove(Name);
        Log.VolumeRemoved(_logger, Name);
    }

    /// <summary>A failed removal is left to the volume's removal, which removes our containers on it, with retries.</summary>
    private static async Task RemovePreparedHelperAsync(DockerApi api, string helper)
    {
        try
        {
            await api.RemoveContainerAsync(helper).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever it was, the volume's removal below takes our containers on it, retried, and reports what stays.
        }
    }

    private VolumeCleanupException Leaked(Activity? activity, int attempt, Exception cause)
    {
        // The run is over even though this process lives on: let the sweeper take the volume.
        AbandonedVolumes.Add(Name);
        var error = new VolumeCleanupException(Name, attempt, cause);
        activity.Fail(error);
        Log.VolumeLeaked(_logger, error, Name);
        _metrics.CleanupFailed();
        return error;
    }

    private Dictionary<string, string> HelperLabels() =>
        _labels.For(VolumeLabels.RoleHelper, TenantId, RunId, volumeName: Name);
}
