using System.Globalization;
using Docker.DotNet.Models;

namespace VolumeGen.Engine;

/// <summary>
/// The create request of a tool container: every protection of the spec (capabilities, no new
/// privileges, read-only root, limits, no log file), the resolved numeric user, and mounts that never
/// copy the image's files into a volume.
/// </summary>
internal static class ToolContainers
{
    // Docker.DotNet declares these properties non-nullable, but null is how "keep the image's
    // value" is sent (the field is omitted), hence the null-forgiving operators.
    public static CreateContainerParameters Parameters(ToolRunSpec spec, ToolImage image, EngineProfile engine, IDictionary<string, string> labels) => new()
    {
        // The ID of the image that was checked: a tag moved by a pull in between would start another.
        Image = image.Id,
        Cmd = spec.Command?.ToList()!,
        Entrypoint = spec.Entrypoint?.ToList()!,
        // Secret values go to the engine and nowhere else (never logged, never in a message).
        Env = spec.Environment is null && spec.SecretEnvironment is null
            ? null!
            : (spec.Environment ?? new Dictionary<string, string>()).Concat(spec.SecretEnvironment ?? new Dictionary<string, string>()).Select(e => $"{e.Key}={e.Value}").ToList(),
        // Numeric, as resolved: the volumes are owned by exactly this user.
        User = image.User.ToString(),
        // An image HEALTHCHECK would have the daemon exec its command in the tool's container at the
        // image's interval (down to 1 ms): processes and daemon work the tool was not given. Off.
        Healthcheck = new HealthcheckConfig { Test = ["NONE"] },
        WorkingDir = spec.WorkingDirectory!,
        Labels = labels,
        AttachStdout = true,
        AttachStderr = true,
        NetworkDisabled = spec.NetworkMode == "none",
        HostConfig = new HostConfig
        {
            NetworkMode = spec.NetworkMode,
            CapDrop = spec.DropCapabilities.ToList(),
            CapAdd = spec.AddCapabilities.ToList(),
            SecurityOpt = spec.AllowPrivilegeEscalation ? [] : ["no-new-privileges"],
            ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
            Tmpfs = TmpfsMounts(spec, image, engine),
            // With an explicit group runc adds no supplementary groups: the ones it computes for the
            // declared user (every group listing its name) are given numerically, as they resolved.
            GroupAdd = image.SupplementaryGroups.Count == 0 ? null! : image.SupplementaryGroups.Select(g => g.ToString(CultureInfo.InvariantCulture)).ToList(),
            PidsLimit = spec.PidsLimit,
            Memory = spec.MemoryBytes,
            MemorySwap = spec.MemoryBytes,
            NanoCPUs = (long)(spec.CpuLimit * 1_000_000_000),
            Ulimits =
            [
                new Ulimit { Name = "nofile", Soft = spec.OpenFilesLimit, Hard = spec.OpenFilesLimit },
                new Ulimit { Name = "nproc", Soft = spec.ProcessesPerUserLimit, Hard = spec.ProcessesPerUserLimit },
            ],
            // Output is captured through attach; the daemon keeps no log file of untrusted size.
            LogConfig = new LogConfig { Type = "none" },
            Mounts = engine.NoCopyOnlyInBinds ? null! : spec.Mounts.Select(m => new Mount
            {
                Type = "volume",
                Source = m.Source,
                Target = m.Target,
                ReadOnly = m.ReadOnly,
                // Never copy the image's files into the volume: an empty output volume stays empty.
                VolumeOptions = new VolumeOptions { NoCopy = true },
            }).ToList(),
            // The same mounts where only this form keeps the image's files out (the source is a
            // validated volume name, never a path, and the target has no ':').
            Binds = engine.NoCopyOnlyInBinds ? spec.Mounts.Select(m => $"{m.Source}:{m.Target}:{(m.ReadOnly ? "ro" : "rw")},nocopy").ToList() : null!,
        },
    };

    /// <summary>
    /// /tmp, and a tmpfs over each image <c>VOLUME</c> no mount covers: Docker would otherwise create
    /// an unlabeled anonymous volume there, holding the tenant's data on disk after a crash. Each is
    /// owned by the tool's user (mode 0700, never world-writable), noexec, nosuid, nodev, size-capped,
    /// and gone with the container.
    /// </summary>
    private static Dictionary<string, string>? TmpfsMounts(ToolRunSpec spec, ToolImage image, EngineProfile engine)
    {
        var owned = $"rw,nosuid,nodev,noexec,{engine.TmpfsOwnerOptions(image.User)},mode=0700";
        var mounts = image.Volumes
            .Select(v => v.TrimEnd('/') is { Length: > 0 } path ? path : "/")
            .Where(path => !(path == "/tmp" && spec.TmpSize is not null) && spec.Mounts.All(m => m.Target.TrimEnd('/') != path))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(path => path, _ => $"{owned},size={spec.ImageVolumeSize}");
        if (spec.TmpSize is not null)
        {
            mounts["/tmp"] = $"{owned},size={spec.TmpSize}";
        }

        return mounts.Count == 0 ? null : mounts;
    }
}
