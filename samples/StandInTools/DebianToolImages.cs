using Docker.DotNet;

namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// Real tools from this machine's Debian packages, each packed into a local image (the binary, the
/// libraries <c>ldd</c> lists, busybox for the wrapper's shell) and each set up with a different
/// user, the way their publishers might: root, a named user, a numeric uid.
/// </summary>
public static class DebianToolImages
{
    /// <summary>yara, image user root (no USER): VolumeGen runs it as 65532:65532.</summary>
    public const string Yara = "volumegen-tools/yara:2";

    /// <summary>sqlite3, image user "analyst" from the image's own /etc/passwd (1500:1501).</summary>
    public const string Sqlite = "volumegen-tools/sqlite3:2";

    /// <summary>jq, image user 1000:1000 (numeric, not in the image's passwd).</summary>
    public const string Jq = "volumegen-tools/jq:2";

    public static Task EnsureYaraAsync(IDockerClient client, CancellationToken ct = default) =>
        BuildAsync(client, Yara, "/usr/bin/yara", user: null, ct);

    public static Task EnsureSqliteAsync(IDockerClient client, CancellationToken ct = default) =>
        BuildAsync(client, Sqlite, "/usr/bin/sqlite3", user: "analyst", ct,
            passwd: BusyboxImage.DefaultPasswd + "analyst:x:1500:1501:analyst:/:/bin/sh\n",
            group: BusyboxImage.DefaultGroup + "analysts:x:1501:\n");

    public static Task EnsureJqAsync(IDockerClient client, CancellationToken ct = default) =>
        BuildAsync(client, Jq, "/usr/bin/jq", user: "1000:1000", ct);

    private static async Task BuildAsync(
        IDockerClient client, string name, string binary, string? user, CancellationToken ct,
        string passwd = BusyboxImage.DefaultPasswd, string group = BusyboxImage.DefaultGroup)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} is missing; run scripts/docker-engine.sh start (it installs Debian's yara, sqlite3 and jq).");
        }

        var image = BusyboxImage.WithBusybox(new LocalImage(name), passwd, group).WithChange("ENV PATH=/bin:/usr/bin");
        if (user is not null)
        {
            image.WithChange($"USER {user}");
        }

        await image.AddBinaryAsync(binary, binary);
        await image.EnsureAsync(client, ct);
    }
}
