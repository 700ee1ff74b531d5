namespace VolumeGen.Engine;

/// <summary>The read-helper slot: one never-started container per volume, prepared ahead and replaced if pruned.</summary>
internal sealed partial class DockerVolume
{
    /// <param name="read">The read, given the engine and the helper's ID.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <param name="removeHelper">
    /// False only for a run's last read under background cleanup: the helper then goes with the
    /// volume's removal (which removes our containers on it first), off the run's latency path.
    /// </param>
    private async Task WithReadHelperAsync(Func<DockerApi, string, Task> read, CancellationToken cancellationToken, bool removeHelper = true)
    {
        EnsureReady();
        // Held for the whole read: a helper created after a concurrent cleanup removed the volume
        // would make Docker silently create a new, unlabeled volume of the same name.
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureReady();
            var api = _api!;
            using var activity = VolumeGenTelemetry.Start("volume.read", Name);
            using var timer = _metrics.Time("read");
            var helper = await TakeLivePreparedReadHelperAsync(api, cancellationToken).ConfigureAwait(false)
                ?? await CreateReadHelperAsync(api, cancellationToken).ConfigureAwait(false);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await read(api, helper).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                activity.Fail(e);
                throw;
            }
            finally
            {
                if (removeHelper)
                {
                    await api.RemoveContainerAsync(helper).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private Task<string> CreateReadHelperAsync(DockerApi api, CancellationToken cancellationToken) =>
        HelperContainers.CreateAsync(api, _options.HelperImage, Name, readOnly: true, HelperLabels(), cancellationToken);

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
    private async Task<string?> TakeLivePreparedReadHelperAsync(DockerApi api, CancellationToken cancellationToken)
    {
        if (await TakePreparedReadHelperAsync().ConfigureAwait(false) is not { } helper)
        {
            return null;
        }

        return await api.ContainerExistsAsync(helper, cancellationToken).ConfigureAwait(false) ? helper : null;
    }
}
