using Docker.DotNet;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests.ImageUsers;

/// <summary>
/// Stand-in images set up the way published images are: root by default with VOLUMEs and files
/// where the output volume goes, a named user from the image's own /etc/passwd, a bare numeric uid.
/// </summary>
internal static class UserImages
{
    /// <summary>No USER (root), <c>VOLUME /cache</c>, and image files under /outputs and /cache.</summary>
    public const string Root = "volumegen-test/root-with-volumes:1";

    /// <summary><c>USER scanner</c>: uid 1234, primary group "scanners" (2345), only in the image's own files.</summary>
    public const string Named = "volumegen-test/named-user:1";

    /// <summary><c>USER 4321</c>, which the image's passwd does not list: runc gives it group 0.</summary>
    public const string Numeric = "volumegen-test/numeric-user:1";

    /// <summary>What each tool prints about itself, the same for every image.</summary>
    public const string Probe =
        """
        before=$(ls -A /outputs | tr '\n' ' ')
        { echo "outputs-before=$before"; echo "id=$(id -u):$(id -g)"; echo "input=$(cat /inputs/in.txt)";
          echo x > /tmp/t && echo "tmp=$(stat -c '%u:%g %a' /tmp)";
          printf '#!/bin/sh\necho ran\n' > /tmp/s; chmod +x /tmp/s; /tmp/s 2>/dev/null || echo tmp-noexec;
          (echo y > /cache/written) 2>/dev/null && echo cache-writable; true; } > /outputs/out.txt
        """;

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _built;

    public static async Task EnsureAsync()
    {
        var client = await DockerEngine.ClientAsync();
        await Once.WaitAsync();
        try
        {
            if (!_built)
            {
                await BuildAsync(client);
                _built = true;
            }
        }
        finally
        {
            Once.Release();
        }
    }

    private static async Task BuildAsync(IDockerClient client)
    {
        await BusyboxImage.WithBusybox(new LocalImage(Root))
            .AddDirectory("cache")
            .AddText("/outputs/stale.txt", "image content")
            .AddText("/cache/seed.txt", "image cache")
            .WithChange("ENV PATH=/bin").WithChange("VOLUME /cache")
            .EnsureAsync(client);
        await BusyboxImage.WithBusybox(
                new LocalImage(Named),
                BusyboxImage.DefaultPasswd + "scanner:x:1234:2345:scanner:/:/bin/sh\n",
                BusyboxImage.DefaultGroup + "scanners:x:2345:\n")
            .WithChange("ENV PATH=/bin").WithChange("USER scanner")
            .EnsureAsync(client);
        await BusyboxImage.WithBusybox(new LocalImage(Numeric))
            .WithChange("ENV PATH=/bin").WithChange("USER 4321")
            .EnsureAsync(client);
    }
}

/// <summary>A wrapper over the root image, written as people write them: no User.</summary>
[ContainerTool(UserImages.Root, Entrypoint = new[] { "/bin/sh", "-c" }, Command = new[] { UserImages.Probe })]
public partial class RootImageTool
{
    [InputFile("in.txt")] public string In { get; set; } = "";
    [OutputFile("out.txt")] public string? Out { get; private set; }
    [OutputFile("stale.txt", Optional = true)] public string? Stale { get; private set; }
}

/// <summary>The same image, asking for root explicitly.</summary>
[ContainerTool(UserImages.Root, Entrypoint = new[] { "/bin/sh", "-c" }, Command = new[] { UserImages.Probe }, User = "root")]
public partial class ExplicitRootTool
{
    [InputFile("in.txt")] public string In { get; set; } = "";
    [OutputFile("out.txt")] public string? Out { get; private set; }
}

/// <summary>The image's own named user.</summary>
[ContainerTool(UserImages.Named, Entrypoint = new[] { "/bin/sh", "-c" }, Command = new[] { UserImages.Probe })]
public partial class NamedUserTool
{
    [InputFile("in.txt")] public string In { get; set; } = "";
    [OutputFile("out.txt")] public string? Out { get; private set; }
}

/// <summary>A named user and group given by the declaration.</summary>
[ContainerTool(UserImages.Named, Entrypoint = new[] { "/bin/sh", "-c" }, Command = new[] { UserImages.Probe }, User = "nonroot:scanners")]
public partial class DeclaredNamesTool
{
    [InputFile("in.txt")] public string In { get; set; } = "";
    [OutputFile("out.txt")] public string? Out { get; private set; }
}

/// <summary>The image's bare numeric user.</summary>
[ContainerTool(UserImages.Numeric, Entrypoint = new[] { "/bin/sh", "-c" }, Command = new[] { UserImages.Probe })]
public partial class NumericUserTool
{
    [InputFile("in.txt")] public string In { get; set; } = "";
    [OutputFile("out.txt")] public string? Out { get; private set; }
}

/// <summary>A user the image does not define.</summary>
[ContainerTool(UserImages.Named, Entrypoint = new[] { "/bin/sh", "-c" }, Command = new[] { UserImages.Probe }, User = "ghost")]
public partial class GhostUserTool
{
    [InputFile("in.txt")] public string In { get; set; } = "";
    [OutputFile("out.txt")] public string? Out { get; private set; }
}
