namespace VolumeGen.Validation;

/// <summary>
/// What a tool image's own config may decide about its containers, checked like the spec because an
/// image from a registry is as untrusted as the tool in it. Each field of the image config that
/// reaches a container is refused, overridden, ignored or allowed; the README's security section has
/// the table. Here: the refusals (the overrides are in the tool container's parameters).
/// </summary>
internal static class ImageConfigRules
{
    /// <summary>Each image VOLUME becomes a tmpfs mount of the tool: more than this is refused, not mounted.</summary>
    public const int MaxVolumes = 32;

    /// <summary>Throws <see cref="UnsafeImageConfigException"/> for the first field VolumeGen does not let the image decide.</summary>
    /// <param name="image">The image reference, for the message.</param>
    /// <param name="workingDirectory">The image's WorkingDir, or null when the spec sets its own (which is checked as the spec's).</param>
    /// <param name="volumes">The image's VOLUMEs.</param>
    /// <param name="labels">The image's labels, which every container of it inherits.</param>
    /// <param name="labelPrefix">VolumeGen's label namespace.</param>
    public static void Check(string image, string? workingDirectory, IReadOnlyList<string> volumes, IReadOnlyDictionary<string, string> labels, string labelPrefix)
    {
        // CVE-2024-21626's image form: WORKDIR /proc/self/fd/N reaches a host descriptor on a runc that leaks one.
        if (!string.IsNullOrEmpty(workingDirectory) && VolumePathRules.IsUnderProcOrClimbs(workingDirectory))
        {
            throw new UnsafeImageConfigException(image, "WorkingDir", workingDirectory, "is under /proc or climbs with '..' (a working directory there can reach the host's file descriptors)");
        }

        // Inherited labels in our namespace would make a tool container claim another tenant's or
        // run's labels (what the sweeper, `volumegen ls` and audits go by).
        if (labels.Keys.FirstOrDefault(key => key.StartsWith(labelPrefix + ".", StringComparison.Ordinal)) is { } label)
        {
            throw new UnsafeImageConfigException(image, "Labels", label, $"is in VolumeGen's label namespace '{labelPrefix}.' (containers inherit image labels; only VolumeGen sets these)");
        }

        if (volumes.Count > MaxVolumes)
        {
            throw new UnsafeImageConfigException(image, "Volumes", $"{volumes.Count} VOLUMEs", $"are more than {MaxVolumes} (each becomes a tmpfs mount of the tool)");
        }

        foreach (var volume in volumes)
        {
            // A tmpfs goes over each VOLUME: never over the root or a kernel interface, never at a path
            // that is not plainly absolute.
            if (VolumePathRules.GetMountTargetProblem(volume.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/") is { } problem)
            {
                throw new UnsafeImageConfigException(image, "Volumes", volume, problem);
            }

            if (VolumePathRules.GetReservedMountProblem(volume) is { } reserved && !VolumePathRules.AreNested(volume, "/tmp"))
            {
                throw new UnsafeImageConfigException(image, "Volumes", volume, reserved);
            }
        }
    }
}
