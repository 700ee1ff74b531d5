using VolumeGen.Engine;

namespace VolumeGen.Archives;

/// <summary>Reads the Go <c>os.FileMode</c> bits the daemon reports in an archive stat.</summary>
internal static class PathStat
{
    private const uint ModeDir = 1u << 31;
    private const uint ModeSymlink = 1u << 27;
    private const uint ModeDevice = 1u << 26;
    private const uint ModeNamedPipe = 1u << 25;
    private const uint ModeSocket = 1u << 24;
    private const uint ModeCharDevice = 1u << 21;
    private const uint ModeIrregular = 1u << 19;

    public static bool IsDirectory(EntryStat stat, string path) => Kind(stat, path) == "directory";

    /// <summary>
    /// Null for a regular file, else what <paramref name="path"/> is. Docker reports a symlink by its
    /// mode; Podman answers for the link's target instead, but names the resolved path in
    /// <c>linkTarget</c>, which differs from the path asked for exactly when a link was followed.
    /// </summary>
    public static string? Kind(EntryStat stat, string path)
    {
        var mode = stat.Mode;
        return mode switch
        {
            _ when (mode & ModeSymlink) != 0 => "symbolic link",
            _ when !string.IsNullOrEmpty(stat.LinkTarget) && stat.LinkTarget.TrimEnd('/') != path => "symbolic link",
            _ when (mode & ModeDir) != 0 => "directory",
            _ when (mode & ModeNamedPipe) != 0 => "FIFO",
            _ when (mode & ModeSocket) != 0 => "socket",
            _ when (mode & ModeCharDevice) != 0 => "character device",
            _ when (mode & ModeDevice) != 0 => "block device",
            _ when (mode & ModeIrregular) != 0 => "irregular file",
            _ => null,
        };
    }
}
