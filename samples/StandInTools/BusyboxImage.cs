using Docker.DotNet;

namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// A local image standing in for real security tools: the static busybox binary and its applet
/// links in an otherwise empty filesystem, with a "nonroot" user (uid 65532).
/// </summary>
public static class BusyboxImage
{
    /// <summary>The image name.</summary>
    public const string Name = "volumegen-standin/busybox:4";

    /// <summary>The applets the samples, tests and benchmarks use.</summary>
    public static readonly string[] Applets =
    [
        "sh", "cat", "sort", "uniq", "ls", "ln", "mkdir", "mkfifo", "mknod", "sleep", "dd", "echo", "id",
        "touch", "head", "wc", "tr", "awk", "sed", "find", "stat", "truncate", "printf", "true", "false",
        "rm", "grep", "ip", "ifconfig", "ping", "nc", "wget", "seq", "xargs", "cp", "yes", "chmod", "chown", "env",
        "sha256sum", "basename", "dirname", "date", "cut",
    ];

    /// <summary>Imports the image unless the daemon already has it.</summary>
    public static Task EnsureAsync(IDockerClient client, CancellationToken ct = default) =>
        WithBusybox(new LocalImage(Name)).WithChange("ENV PATH=/bin").EnsureAsync(client, ct);

    /// <summary>The image's accounts unless a caller brings its own: root and "nonroot" (65532).</summary>
    public const string DefaultPasswd = "root:x:0:0:root:/:/bin/sh\nnonroot:x:65532:65532:nonroot:/:/bin/sh\n";

    /// <summary>The groups that go with <see cref="DefaultPasswd"/>.</summary>
    public const string DefaultGroup = "root:x:0:\nnonroot:x:65532:\n";

    /// <summary>Adds busybox, its applets, the usual directories and the users to <paramref name="image"/>.</summary>
    public static LocalImage WithBusybox(LocalImage image, string? passwd = DefaultPasswd, string? group = DefaultGroup)
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox))
        {
            throw new InvalidOperationException($"{busybox} is missing; run scripts/docker-engine.sh start (it installs busybox-static).");
        }

        foreach (var directory in new[] { "bin", "tmp", "etc", "inputs", "outputs" })
        {
            image.AddDirectory(directory);
        }

        image.AddFile(busybox, "/bin/busybox");
        foreach (var applet in Applets)
        {
            image.AddSymlink("/bin/" + applet, "busybox");
        }

        // Null leaves the file out, for images that bring their own kind of /etc/passwd or /etc/group.
        return (passwd is null ? image : image.AddText("/etc/passwd", passwd)) is var withPasswd && group is null ? withPasswd : withPasswd.AddText("/etc/group", group);
    }
}
