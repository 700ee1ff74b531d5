using Docker.DotNet;

namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// A real scanner: this machine's nmap (Debian's package), the libraries it links and its data files,
/// plus busybox for the wrapper's shell. Built locally; run as uid 65532 with network none.
/// </summary>
public static class NmapImage
{
    /// <summary>The image name.</summary>
    public const string Name = "volumegen-tools/nmap:3";

    /// <summary>Imports the image unless the daemon already has it (nmap must be installed here).</summary>
    public static async Task EnsureAsync(IDockerClient client, CancellationToken ct = default)
    {
        const string nmap = "/usr/bin/nmap";
        if (!File.Exists(nmap))
        {
            throw new InvalidOperationException($"{nmap} is missing; run scripts/docker-engine.sh start (it installs Debian's nmap).");
        }

        var image = BusyboxImage.WithBusybox(new LocalImage(Name)).AddTree("/usr/share/nmap", "/usr/share/nmap").WithChange("ENV PATH=/bin:/usr/bin");
        await image.AddBinaryAsync(nmap, nmap);
        await image.EnsureAsync(client, ct);
    }
}
