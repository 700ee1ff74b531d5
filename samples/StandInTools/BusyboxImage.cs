using System.Formats.Tar;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// A local image standing in for real security tools: the static busybox binary and its applet
/// links in an otherwise empty filesystem. Imported through the Engine API; no registry involved.
/// </summary>
public static class BusyboxImage
{
    /// <summary>The image name.</summary>
    public const string Name = "volumegen-standin/busybox:3";

    private const string BusyboxPath = "/bin/busybox";

    private static readonly string[] Applets =
    [
        "sh", "cat", "sort", "uniq", "ls", "ln", "mkdir", "mkfifo", "mknod", "sleep", "dd", "echo", "id",
        "touch", "head", "wc", "tr", "awk", "sed", "find", "stat", "truncate", "printf", "true", "false",
        "rm", "grep", "ip", "ifconfig", "ping", "nc", "wget", "seq", "xargs", "cp", "yes", "chmod", "chown", "env",
        "sha256sum", "basename", "dirname", "date", "cut",
    ];

    /// <summary>Imports the image unless the daemon already has it.</summary>
    public static async Task EnsureAsync(IDockerClient client, CancellationToken ct = default)
    {
        try
        {
            await client.Images.InspectImageAsync(Name, ct);
            return;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }

        if (!File.Exists(BusyboxPath))
        {
            throw new InvalidOperationException($"{BusyboxPath} is missing; run scripts/docker-engine.sh start (it installs busybox-static).");
        }

        using var rootfs = new MemoryStream();
        using (var writer = new TarWriter(rootfs, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var directory in new[] { "bin/", "tmp/", "etc/", "inputs/", "outputs/" })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory) { Mode = (UnixFileMode)0b111_101_101 });
            }

            writer.WriteEntry(BusyboxPath, "bin/busybox");
            foreach (var applet in Applets)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            }

            var passwd = "root:x:0:0:root:/:/bin/sh\nnonroot:x:65532:65532:nonroot:/:/bin/sh\n"u8.ToArray();
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd")
            {
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream(passwd),
            });
        }

        rootfs.Position = 0;
        await client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromSrc = "-", Repo = Name, Changes = ["ENV PATH=/bin"] }, // tag inside repo: Podman ignores "tag"
            rootfs, null, new Progress<JSONMessage>(), ct);
        await client.Images.InspectImageAsync(Name, ct);
    }
}
