using System.Linq;
using System.Text;

namespace VolumeGen.Validation;

/// <summary>
/// The file-name and mount-target rules, written against netstandard2.0 APIs only so the analyzers
/// compile this same file (one rule set for the runtime check and the compile-time check).
/// </summary>
internal static class VolumePathRules
{
    /// <summary>Longest accepted relative file name, in UTF-8 bytes (what the kernel counts).</summary>
    public const int MaxFileNameLength = 1024;

    /// <summary>Longest accepted single path segment, in UTF-8 bytes (Linux's NAME_MAX).</summary>
    public const int MaxSegmentLength = 255;

    /// <summary>Returns why <paramref name="name"/> is not a safe relative file name, or null when it is.</summary>
    public static string? GetFileNameProblem(string? name)
    {
        if (name is null || name.Length == 0)
        {
            return "the name is empty";
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxFileNameLength)
        {
            return "the name is longer than " + MaxFileNameLength + " bytes in UTF-8";
        }

        if (name[0] == '/')
        {
            return "the name is an absolute path; use a path relative to the volume root";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++; // a character outside the BMP: fine
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "the name contains an unpaired surrogate, which has no UTF-8 form (the file would get another name)";
            }

            if (IsInvisibleOrReordering(c))
            {
                return "the name contains an invisible or direction-changing character (U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + "), which makes it look like another name";
            }

            if (c == '\\')
            {
                return "the name contains a backslash; use '/' to separate directories";
            }

            if (c == '\0')
            {
                return "the name contains a NUL character";
            }

            if (char.IsControl(c))
            {
                return "the name contains a control character";
            }
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "the name contains an empty path segment ('//' or a trailing '/')";
            }

            if (segment == "..")
            {
                return "the name contains a '..' segment, which could escape the volume";
            }

            if (segment == ".")
            {
                return "the name contains a '.' segment";
            }

            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentLength)
            {
                return "a path segment is longer than " + MaxSegmentLength + " bytes in UTF-8";
            }
        }

        return null;
    }

    /// <summary>
    /// Why a mount target is taken already, or null: <c>/tmp</c> is the tool's own tmpfs, and a
    /// mount at or under <c>/proc</c>, <c>/sys</c> or <c>/dev</c> would cover a kernel filesystem.
    /// </summary>
    public static string? GetReservedMountProblem(string target)
    {
        var trimmed = target.TrimEnd('/');
        foreach (var reserved in new[] { "/tmp", "/proc", "/sys", "/dev" })
        {
            if (trimmed == reserved || trimmed.StartsWith(reserved + "/", System.StringComparison.Ordinal))
            {
                return reserved == "/tmp"
                    ? "the mount target is the tool's own tmpfs /tmp (or inside it)"
                    : "the mount target would cover the kernel filesystem " + reserved;
            }
        }

        return null;
    }

    /// <summary>
    /// True for a working directory at or under <c>/proc</c> once '.' and empty segments are removed,
    /// or one with '..' anywhere (which could climb there): the class of CVE-2024-21626, where a
    /// working directory of <c>/proc/self/fd/N</c> reaches a descriptor runc leaked from the host.
    /// One rule for the spec's working directory and the image's WORKDIR.
    /// </summary>
    public static bool IsUnderProcOrClimbs(string path)
    {
        var normalized = "/" + string.Join("/", path.Split(new[] { '/' }, System.StringSplitOptions.RemoveEmptyEntries).Where(s => s != "."));
        return normalized == "/proc" || normalized.StartsWith("/proc/", System.StringComparison.Ordinal) || path.Contains("..");
    }

    /// <summary>True when two mount targets are the same or one is inside the other: one mount would hide the other.</summary>
    public static bool AreNested(string first, string second)
    {
        var a = first.TrimEnd('/') + "/";
        var b = second.TrimEnd('/') + "/";
        return a.StartsWith(b, System.StringComparison.Ordinal) || b.StartsWith(a, System.StringComparison.Ordinal);
    }

    /// <summary>Zero-width characters, bidirectional controls and the byte-order mark.</summary>
    private static bool IsInvisibleOrReordering(char c) =>
        (c >= '\u200B' && c <= '\u200F') || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2060' && c <= '\u2064') ||
        (c >= '\u2066' && c <= '\u2069') || c == '\uFEFF' || c == '\u061C' || c == '\u180E';

    /// <summary>Returns why <paramref name="target"/> is not a usable container mount target, or null.</summary>
    public static string? GetMountTargetProblem(string? target)
    {
        if (target is null || target.Length == 0)
        {
            return "the mount target is empty";
        }

        if (target[0] != '/')
        {
            return "the mount target is not an absolute path";
        }

        if (target == "/")
        {
            return "the mount target is the container's root directory";
        }

        return target.Length == 1 ? null : GetFileNameProblem(target.Substring(1).TrimEnd('/'));
    }

    /// <summary>
    /// An environment variable name the engine passes as "NAME=value" safely: a letter or '_', then
    /// letters, digits or '_' (POSIX portable; '=' or NUL would set another variable or cut it short).
    /// One rule for the declaration check and the runner.
    /// </summary>
    public static bool IsEnvironmentVariableName(string name) =>
        name.Length > 0 && (IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_');

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
