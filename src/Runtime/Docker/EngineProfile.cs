using System.Runtime.CompilerServices;
using Docker.DotNet;

namespace VolumeGen.Docker;

/// <summary>
/// What differs between the engines that serve the Docker API, measured, not assumed:
/// <list type="bullet">
/// <item>Where to extract an upload so it lands in the helper's volume with the volume root's owner
/// and mode set. Docker resolves mounts for every entry but ignores a "./" entry's metadata, so it
/// gets "data/..." extracted at "/"; Podman resolves mounts from the extraction path only (entries
/// under "/" land in the helper's own filesystem) and applies "./", so it gets "./..." at the mount.</item>
/// <item>Podman re-owns an empty volume's root to the image's mount point when a container first
/// starts on it, unless the volume was created with its "uid"/"gid" options: those are set there.</item>
/// <item>Who owns a tmpfs: Docker passes "uid=,gid=" to the kernel; Podman 4.3 refuses them as
/// unknown options and has "U" instead (owned by the container's user).</item>
/// <item>Podman 4.3 ignores a mount's "NoCopy" and copies the image's files at the mount point
/// into an empty volume when the tool starts; only a bind string's "nocopy" stops it.</item>
/// </list>
/// </summary>
internal sealed record EngineProfile(string Name, string ExtractPath, string EntryPrefix, bool OwnerInVolumeOptions, bool TmpfsOwnerByU, bool NoCopyOnlyInBinds)
{
    private static readonly ConditionalWeakTable<IDockerClient, Task<EngineProfile>> Profiles = new();

    public static readonly EngineProfile Docker = new("Docker", "/", HelperContainers.MountPath.TrimStart('/') + "/", OwnerInVolumeOptions: false, TmpfsOwnerByU: false, NoCopyOnlyInBinds: false);

    public static readonly EngineProfile Podman = new("Podman", HelperContainers.MountPath, "./", OwnerInVolumeOptions: true, TmpfsOwnerByU: true, NoCopyOnlyInBinds: true);

    /// <summary>The profile of the engine behind <paramref name="client"/>, asked once per client.</summary>
    public static Task<EngineProfile> ForAsync(IDockerClient client, CancellationToken ct) =>
        Profiles.GetValue(client, DetectAsync).WaitAsync(ct);

    /// <summary>The tmpfs options that make <paramref name="user"/> its owner.</summary>
    public string TmpfsOwnerOptions(ToolUser user) => TmpfsOwnerByU ? "U" : $"uid={user.Uid},gid={user.Gid}";

    private static async Task<EngineProfile> DetectAsync(IDockerClient client)
    {
        var version = await client.System.GetVersionAsync().ConfigureAwait(false);
        return version.Components?.Any(c => c.Name?.Contains("Podman", StringComparison.OrdinalIgnoreCase) == true) == true
            ? Podman
            : Docker;
    }
}
