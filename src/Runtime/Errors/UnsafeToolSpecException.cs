namespace VolumeGen;

/// <summary>
/// A <see cref="ToolRunSpec"/> value would switch a protection off (no pids or memory limit, a
/// network, added capabilities, tmpfs options beyond a size, a working directory under /proc),
/// either always or without the named opt-in. Raised before Docker is touched.
/// </summary>
public sealed class UnsafeToolSpecException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public UnsafeToolSpecException(string property, string problem)
        : base($"ToolRunSpec.{property}: {problem}.", property)
    {
        Property = property;
    }

    /// <summary>The <see cref="ToolRunSpec"/> property at fault.</summary>
    public string Property { get; }
}
