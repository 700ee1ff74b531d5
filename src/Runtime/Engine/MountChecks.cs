using System.Globalization;

namespace VolumeGen.Engine;

/// <summary>
/// Every mount is a volume VolumeGen created in this process, for the spec's tenant, on the local
/// driver with no options of anyone else's, owned by the tool's user, and still the same volume once
/// the tool container exists. Anything else is refused before a container runs.
/// </summary>
internal static class MountChecks
{
    /// <summary>Checks every mount; returns the instance label seen on each volume.</summary>
    public static async Task<Dictionary<string, string>> CheckAsync(
        DockerApi api, ToolRunSpec spec, ToolUser user, VolumeLabels labels, CancellationToken cancellationToken)
    {
        if (spec.Mounts.Count > 0 && spec.TenantId is null)
        {
            throw new UnsafeToolSpecException(nameof(ToolRunSpec.TenantId), "is required when volumes are mounted: every volume must belong to that tenant");
        }

        var instances = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in spec.Mounts)
        {
            var volume = await api.InspectVolumeAsync(mount.Source, cancellationToken).ConfigureAwait(false)
                ?? throw new MountRefusedException(mount.Source, mount.Target,
                    "it does not exist (was it cleaned up already?); Docker would create an empty, unlabeled volume in its place");
            if (Problem(volume, spec, user, labels) is { } problem)
            {
                throw new MountRefusedException(mount.Source, mount.Target, problem);
            }

            instances[mount.Source] = volume.Labels[labels.Instance];
        }

        return instances;
    }

    /// <summary>
    /// The mount whose volume is no longer the one checked: removed in between and silently
    /// recreated, empty and unlabeled, by the container create (Docker does that for a missing
    /// named volume). Null when all are unchanged.
    /// </summary>
    public static async Task<VolumeMount?> FindReplacedAsync(
        DockerApi api, ToolRunSpec spec, IReadOnlyDictionary<string, string> instances, VolumeLabels labels, CancellationToken cancellationToken)
    {
        // All at once: this sits between the tool's create and its start, on every run's latency path.
        var volumes = await Task.WhenAll(spec.Mounts.Select(m => api.InspectVolumeAsync(m.Source, cancellationToken))).ConfigureAwait(false);
        return spec.Mounts.Where((mount, i) =>
            volumes[i] is not { } volume || !volume.Labels.TryGetValue(labels.Instance, out var instance) || instance != instances[mount.Source]).FirstOrDefault();
    }

    /// <summary>Removes a volume that has no labels at all (what a container create made); never a labeled one.</summary>
    public static async Task RemoveIfUnlabeledAsync(DockerApi api, string name)
    {
        using var timeout = new CancellationTokenSource(DockerApi.UncancellableCallTimeout);
        if (await api.InspectVolumeAsync(name, timeout.Token).ConfigureAwait(false) is { Labels.Count: 0 })
        {
            await api.RemoveVolumeAsync(name, timeout.Token).ConfigureAwait(false);
        }
    }

    private static string? Problem(EngineVolume volume, ToolRunSpec spec, ToolUser user, VolumeLabels labels)
    {
        if (!labels.Matches(volume.Labels, spec.TenantId))
        {
            return $"it is not a VolumeGen volume of tenant '{spec.TenantId}'";
        }

        if (!OwnedVolumes.IsOwned(volume.Name, volume.Labels.TryGetValue(labels.Instance, out var instance) ? instance : null))
        {
            return "this process did not create it, or cleaned it up already (labels can be copied; only VolumeGen's own volumes are mounted)";
        }

        if (volume.Driver != "local")
        {
            return $"its driver is '{volume.Driver}', not 'local'";
        }

        if (volume.Labels.TryGetValue(labels.User, out var owner) && owner != user.ToString())
        {
            return $"it is owned by {owner}, but '{spec.Image}' runs as {user}: with every capability dropped it could not use it. " +
                "Create the volume with the owner from ContainerToolRunner.ResolveUserAsync";
        }

        return volume.Options is { Count: > 0 } options && !IsOwnOwnerOptions(options, owner)
            ? $"it has driver options ({string.Join(", ", options.Keys)}); with type, o or device a local volume can be a host folder"
            : null;
    }

    /// <summary>The only options VolumeGen sets itself: Podman's uid/gid owner of the volume root.</summary>
    private static bool IsOwnOwnerOptions(IReadOnlyDictionary<string, string> options, string? owner)
    {
        if (owner?.Split(':') is not [var uid, var gid])
        {
            return false;
        }

        var expected = string.Create(CultureInfo.InvariantCulture, $"uid={uid},gid={gid}");
        return options.All(o => o.Key switch
        {
            "o" => o.Value == expected,
            "UID" => o.Value == uid,
            "GID" => o.Value == gid,
            _ => false,
        });
    }
}
