using Docker.DotNet;

namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// A real scanner: this machine's nmap (Debian's package), the libraries it links and its data files,
/// plus busybox and an entrypoint script such as images ship (<see cref="WithListener"/>). Built
/// locally; run as uid 65532 with network none.
/// </summary>
public static class NmapImage
{
    /// <summary>The image name.</summary>
    public const string Name = "volumegen-tools/nmap:4";

    /// <summary>
    /// The image's entrypoint script: with <c>LISTEN_PORT</c> set it first starts a listener on that
    /// port (with network none, the tool's own loopback is the only honest target), then runs the
    /// command it was given, as images' entrypoint scripts do.
    /// </summary>
    public const string WithListener = "/usr/local/bin/with-listener";

    /// <summary>Imports the image unless the daemon already has it (nmap must be installed here).</summary>
    public static async Task EnsureAsync(IDockerClient client, CancellationToken ct = default)
    {
        const string nmap = "/usr/bin/nmap";
        if (!File.Exists(nmap))
        {
            throw new InvalidOperationException($"{nmap} is missing; run scripts/docker-engine.sh start (it installs Debian's nmap).");
        }

        var image = BusyboxImage.WithBusybox(new LocalImage(Name)).AddTree("/usr/share/nmap", "/usr/share/nmap").WithChange("ENV PATH=/bin:/usr/bin")
            .AddText(WithListener, """
                #!/bin/sh
                if [ -n "$LISTEN_PORT" ]; then nc -l -p "$LISTEN_PORT" >/dev/null & sleep 0.3; fi
                exec "$@"
                """, (UnixFileMode)0b111_101_101);
        await image.AddBinaryAsync(nmap, nmap);
        await image.EnsureAsync(client, ct);
    }
}
