using System.Runtime.CompilerServices;
using VolumeGen.Archives;

namespace VolumeGen.Engine;

/// <summary>
/// What differs between the engines that serve the Docker API, measured, not assumed:
/// <list type="bullet">
/// <item>Where to extract an upload so it lands in the helper's volumes with each volume root's owner
/// and mode set. Docker resolves mounts for every entry but ignores a "./" entry's metadata, so it
/// gets "data/..." extracted at "/", and one upload fills every volume of a helper; Podman resolves
/// mounts from the extraction path only (entries under "/" land in the helper's own filesystem) and
/// applies "./", so it gets "./..." at the mount, one upload per volume.</item>
/// <item>Podman re-owns an empty volume's root to the image's mount point when a container first
/// starts on it, unless the volume was created with its "uid"/"gid" options: those are set there.</item>
/// <item>Who owns a tmpfs: Docker passes "uid=,gid=" to the kernel; Podman 4.3 refuses them as
/// unknown options and has "U" instead (owned by the container's user).</item>
/// <item>Podman 4.3 ignores a mount's "NoCopy" and copies the image's files at the mount point
/// into an empty volume when the tool starts; only a bind string's "nocopy" stops it.</item>
/// <item>Whether memory and pids limits are enforced at all: rootless Docker without cgroups
/// accepts them and silently ignores them (its /info says MemoryLimit and PidsLimit false).</item>
/// </list>
/// </summary>
internal sealed record EngineProfile(string Name, bool UploadResolvesMounts, bool OwnerInVolumeOptions, bool TmpfsOwnerByU, bool NoCopyOnlyInBinds)
{
    private static readonly ConditionalWeakTable<DockerApi, Task<EngineProfile>> Profiles = new();

    public static readonly EngineProfile Docker = new("Docker", UploadResolvesMounts: true, OwnerInVolumeOptions: false, TmpfsOwnerByU: false, NoCopyOnlyInBinds: false);

    public static readonly EngineProfile Podman = new("Podman", UploadResolvesMounts: false, OwnerInVolumeOptions: true, TmpfsOwnerByU: true, NoCopyOnlyInBinds: true);

    /// <summary>False when the daemon accepts memory and pids limits but cannot enforce them.</summary>
    public bool EnforcesResourceLimits { get; init; } = true;

    public bool IsPodman => Name == Podman.Name;

    /// <summary>
    /// The profile of the engine behind <paramref name="api"/>, asked once per connection; a failed
    /// detection (the daemon was down at that moment) is forgotten, so the next call asks again.
    /// </summary>
    public static async Task<EngineProfile> ForAsync(DockerApi api, CancellationToken cancellationToken)
    {
        var detection = Profiles.GetValue(api, DetectAsync);
        try
        {
            return await detection.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (detection.IsFaulted || detection.IsCanceled)
        {
            Profiles.Remove(api);
            throw;
        }
    }

    /// <summary>
    /// The uploads (extraction path and archive roots) that fill a helper's volumes, given as
    /// (mount path in the helper, files): one for all of them where the engine resolves mounts per
    /// entry, else one per volume.
    /// </summary>
    public IReadOnlyList<(string ExtractPath, IReadOnlyList<ArchiveRoot> Roots)> Uploads(IReadOnlyList<(string MountPath, IReadOnlyList<VolumeFile> Files, IReadOnlyList<string> Folders)> volumes) =>
        UploadResolvesMounts
            ? [("/", volumes.Select(v => new ArchiveRoot(v.MountPath.TrimStart('/') + "/", v.Files, v.Folders)).ToList())]
            : volumes.Select(v => (v.MountPath, (IReadOnlyList<ArchiveRoot>)[new ArchiveRoot("./", v.Files, v.Folders)])).ToList();

    /// <summary>The tmpfs options that make <paramref name="user"/> its owner.</summary>
    public string TmpfsOwnerOptions(ToolUser user) => TmpfsOwnerByU ? "U" : $"uid={user.Uid},gid={user.Gid}";

    private static async Task<EngineProfile> DetectAsync(DockerApi api)
    {
        // Bounded: a daemon that accepts the connection but never answers must not hang every caller.
        using var timeout = new CancellationTokenSource(DockerApi.UncancellableCallTimeout);
        var engine = await api.DescribeAsync(timeout.Token).ConfigureAwait(false);
        var profile = engine.Components.Any(c => c.Contains("Podman", StringComparison.OrdinalIgnoreCase)) ? Podman : Docker;
        return profile with { EnforcesResourceLimits = engine.EnforcesMemoryLimit && engine.EnforcesPidsLimit };
    }
}
