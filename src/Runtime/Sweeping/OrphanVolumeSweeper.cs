using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using VolumeGen.Engine;
using VolumeGen.Observability;
using VolumeGen.Sweeping;
using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// Finds and removes what crashed workers left behind: volumes and containers carrying VolumeGen's
/// labels (never matched by name prefix), older than a cutoff. A volume is never removed while a
/// running container mounts it, while the process that created it is alive on this host, or while a
/// container VolumeGen did not create mounts it. Choose a cutoff longer than your longest run.
/// </summary>
public sealed class OrphanVolumeSweeper(DockerConnectionOptions? options = null)
{
    private static readonly HashSet<string> LiveStates = new(StringComparer.OrdinalIgnoreCase) { "running", "paused", "restarting" };

    private readonly DockerConnectionOptions _options = options ?? IsolatedVolumeOptions.Default;
    private readonly VolumeLabels _labels = new((options ?? IsolatedVolumeOptions.Default).LabelPrefix);
    private readonly VolumeGenInstruments _metrics = VolumeGenMetrics.For(options?.MeterFactory);
    private readonly ILogger _logger = options?.LoggerFactory?.CreateLogger<OrphanVolumeSweeper>() ?? NullLogger<OrphanVolumeSweeper>.Instance;

    // A volume's own cleanup settings when the options carry them: the sweeper removes the same way.
    private readonly int _removalAttempts = (options as IsolatedVolumeOptions ?? IsolatedVolumeOptions.Default).CleanupAttempts;
    private readonly TimeSpan _removalRetryDelay = (options as IsolatedVolumeOptions ?? IsolatedVolumeOptions.Default).CleanupRetryDelay;

    /// <summary>The shortest cutoff <see cref="SweepAsync"/> accepts unless <see cref="MinimumCutoff"/> is lowered.</summary>
    public static readonly TimeSpan DefaultMinimumCutoff = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The shortest cutoff a sweep accepts (10 minutes): a shorter one could take the volumes of a run
    /// that is alive on another host, whose process this host cannot see. Lower it (the CLI's
    /// <c>--force</c>) only when no other host uses the engine.
    /// </summary>
    public TimeSpan MinimumCutoff { get; init; } = DefaultMinimumCutoff;

    /// <summary>Lists VolumeGen's volumes, optionally for one tenant, with whether each is in use.</summary>
    public async Task<IReadOnlyList<ManagedVolume>> ListVolumesAsync(string? tenantId = null, CancellationToken cancellationToken = default)
    {
        ValidateTenantFilter(tenantId);
        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        var (volumes, containers) = await SnapshotAsync(api, tenantId, cancellationToken).ConfigureAwait(false);
        return volumes.Select(v => Describe(v, containers)).ToList();
    }

    /// <summary>Lists the helper and tool containers VolumeGen created, optionally for one tenant.</summary>
    public async Task<IReadOnlyList<ManagedContainer>> ListContainersAsync(string? tenantId = null, CancellationToken cancellationToken = default)
    {
        ValidateTenantFilter(tenantId);
        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        var containers = await api.ListContainersAsync(_labels.Filter(tenantId), cancellationToken).ConfigureAwait(false);
        return containers.Where(c => _labels.Matches(c.Labels, tenantId)).Select(c => new ManagedContainer(
            c.Id,
            Label(c.Labels, _labels.Role),
            Label(c.Labels, _labels.Tenant),
            Label(c.Labels, _labels.Run),
            Label(c.Labels, _labels.Volume),
            c.State,
            _labels.CreatedAt(c.Labels),
            _labels.IsOwnerAlive(c.Labels))).ToList();
    }

    /// <summary>Removes orphaned volumes and containers older than <paramref name="olderThan"/>.</summary>
    /// <param name="olderThan">Only what was created longer ago than this is considered.</param>
    /// <param name="tenantId">Only this tenant's volumes and containers, when given.</param>
    /// <param name="dryRun">Report what would be removed without removing it.</param>
    /// <param name="progress">Told about every removal as it happens (long sweeps).</param>
    /// <param name="cancellationToken">Stops the sweep between removals.</param>
    public async Task<SweepResult> SweepAsync(
        TimeSpan olderThan, string? tenantId = null, bool dryRun = false, IProgress<SweepEntry>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(olderThan, TimeSpan.Zero);
        ValidateTenantFilter(tenantId);
        if (olderThan < MinimumCutoff)
        {
            throw new ArgumentOutOfRangeException(nameof(olderThan), olderThan,
                $"A cutoff below {MinimumCutoff} could sweep a live run of another host; lower MinimumCutoff (the CLI's --force) to mean it.");
        }

        using var activity = VolumeGenTelemetry.Start("sweep");
        var api = await DockerConnections.GetApiAsync(_options, cancellationToken).ConfigureAwait(false);
        var (volumes, containers) = await SnapshotAsync(api, tenantId, cancellationToken).ConfigureAwait(false);
        var cutoff = DateTimeOffset.UtcNow - olderThan;
        var removedVolumes = new List<string>();
        var removedContainers = new HashSet<string>();
        var kept = new List<SweepEntry>();
        var failures = new List<SweepEntry>();

        foreach (var volume in volumes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = Describe(volume, containers);
            if (info.CreatedAt is null)
            {
                // A missing or hostile "created" label: its age is unknown, so it is never swept by age.
                kept.Add(new SweepEntry(info.Name, "unknown age (its created label is missing or invalid); remove it by hand if it is an orphan"));
                continue;
            }

            if (!(info.CreatedAt <= cutoff))
            {
                continue;
            }

            var users = containers.Where(c => info.ContainerIds.Contains(c.Id)).ToList();
            if (KeepReason(info, users, cutoff) is { } reason)
            {
                kept.Add(new SweepEntry(info.Name, reason));
                continue;
            }

            if (dryRun)
            {
                foreach (var container in users)
                {
                    await RemoveContainerAsync(api, container.Id, dryRun, progress).ConfigureAwait(false);
                    removedContainers.Add(container.Id);
                }

                removedVolumes.Add(info.Name);
                progress?.Report(new SweepEntry(info.Name, "volume would be removed"));
                continue;
            }

            // The same removal as a run's own cleanup: our containers on it first, then the volume, retried while busy.
            var removal = await VolumeRemoval.RemoveAsync(api, info.Name, _labels, _removalAttempts, _removalRetryDelay, _logger, cancellationToken).ConfigureAwait(false);
            foreach (var id in removal.RemovedContainers)
            {
                Swept("container", id, progress);
                removedContainers.Add(id);
            }

            if (removal.Failure is { } failure)
            {
                Log.SweepFailed(_logger, failure, "volume", info.Name);
                failures.Add(new SweepEntry(info.Name, failure.Message));
            }
            else if (removal.WasThere)
            {
                // Not there: removed concurrently (the run finished, or another sweeper), nothing left to do.
                AbandonedVolumes.Remove(info.Name);
                Swept("volume", info.Name, progress);
                removedVolumes.Add(info.Name);
            }
        }

        // Containers left without a volume to sweep: helpers and finished tools of dead workers.
        // The snapshot holds every container (foreign ones protect volumes); only ours, of the tenant asked for, are swept.
        foreach (var container in containers.Where(c => _labels.Matches(c.Labels, tenantId) && !removedContainers.Contains(c.Id)))
        {
            if (LiveStates.Contains(container.State) || _labels.IsOwnerAlive(container.Labels) || !(_labels.CreatedAt(container.Labels) <= cutoff))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await RemoveContainerAsync(api, container.Id, dryRun, progress).ConfigureAwait(false);
                removedContainers.Add(container.Id);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SweepFailed(_logger, e, "container", container.Id);
                failures.Add(new SweepEntry(container.Id, e.Message));
            }
        }

        return new SweepResult(removedVolumes, removedContainers.ToList(), kept, failures, dryRun);
    }

    private string? KeepReason(ManagedVolume volume, List<EngineContainer> users, DateTimeOffset cutoff)
    {
        if (volume.InUse)
        {
            return "a running container mounts it";
        }

        // A run's read helper is created while its tool runs and waits, never started, for the read.
        if (users.Any(c => IsManaged(c) && Label(c.Labels, _labels.Role) == VolumeLabels.RoleHelper && c.State == "created" &&
            !(_labels.CreatedAt(c.Labels) <= cutoff)))
        {
            return "a helper created after the cutoff waits to read it";
        }

        if (volume.OwnerAlive)
        {
            return "the process that created it is still running";
        }

        return users.Any(c => !IsManaged(c)) ? "a container VolumeGen did not create mounts it" : null;
    }

    private async Task RemoveContainerAsync(DockerApi api, string id, bool dryRun, IProgress<SweepEntry>? progress)
    {
        if (dryRun)
        {
            progress?.Report(new SweepEntry(id, "container would be removed"));
            return;
        }

        await api.RemoveContainerAsync(id).ConfigureAwait(false);
        Swept("container", id, progress);
    }

    private void Swept(string kind, string name, IProgress<SweepEntry>? progress)
    {
        Log.SweptResource(_logger, kind, name);
        _metrics.SweptResource(kind);
        progress?.Report(new SweepEntry(name, $"{kind} removed"));
    }

    private static string? Label(IReadOnlyDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    private async Task<(IReadOnlyList<EngineVolume> Volumes, IReadOnlyList<EngineContainer> Containers)> SnapshotAsync(
        DockerApi api, string? tenantId, CancellationToken cancellationToken)
    {
        var volumes = await api.ListVolumesAsync(_labels.Filter(tenantId), cancellationToken).ConfigureAwait(false);
        // All containers, not only ours: a foreign container mounting our volume must protect it.
        var containers = await api.ListContainersAsync(null, cancellationToken).ConfigureAwait(false);
        return (volumes.Where(v => _labels.Matches(v.Labels, tenantId)).ToList(), containers);
    }

    private ManagedVolume Describe(EngineVolume volume, IEnumerable<EngineContainer> containers)
    {
        var users = containers.Where(c => c.VolumeNames.Contains(volume.Name)).ToList();
        return new ManagedVolume(
            volume.Name,
            Label(volume.Labels, _labels.Tenant),
            Label(volume.Labels, _labels.Run),
            _labels.CreatedAt(volume.Labels),
            users.Any(c => LiveStates.Contains(c.State)),
            _labels.IsOwnerAlive(volume.Labels) && !AbandonedVolumes.Contains(volume.Name),
            users.Select(c => c.Id).ToList());
    }

    private bool IsManaged(EngineContainer container) =>
        container.Labels.TryGetValue(_labels.Managed, out var value) && value == "true";

    /// <summary>A tenant filter is checked like every tenant ID: it becomes an engine-side label filter.</summary>
    private static void ValidateTenantFilter(string? tenantId)
    {
        if (tenantId is not null)
        {
            IdentifierRules.ThrowIfInvalid(nameof(tenantId), tenantId);
        }
    }
}
