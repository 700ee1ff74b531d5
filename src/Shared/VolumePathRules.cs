namespace VolumeGen.Validation;

/// <summary>
/// The file-name and mount-target rules, written against netstandard2.0 APIs only so the analyzers
/// compile this same file (one rule set for the runtime check and the compile-time check).
/// </summary>
internal static class VolumePathRules
{
    /// <summary>Longest accepted relative file name, in characters.</summary>
    public const int MaxFileNameLength = 1024;

    /// <summary>Longest accepted single path segment, in characters (the usual filesystem limit).</summary>
    public const int MaxSegmentLength = 255;

    /// <summary>Returns why <paramref name="name"/> is not a safe relative file name, or null when it is.</summary>
    public static string? GetFileNameProblem(string? name)
    {
        if (name is null || name.Length == 0)
        {
            return "the name is empty";
        }

        if (name.Length > MaxFileNameLength)
        {
            return "the name is longer than " + MaxFileNameLength + " characters";
        }

        if (name[0] == '/')
        {
            return "the name is an absolute path; use a path relative to the volume root";
        }

        foreach (var c in name)
        {
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

            if (segment.Length > MaxSegmentLength)
            {
                return "a path segment is longer than " + MaxSegmentLength + " characters";
            }
        }

        return null;
    }

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
}
