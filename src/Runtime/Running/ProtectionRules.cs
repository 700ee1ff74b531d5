using System.Globalization;
using VolumeGen.Validation;

namespace VolumeGen.Running;

/// <summary>
/// Refuses spec values that would silently switch a protection off: Docker reads a pids limit of 0
/// or -1 as "no limit", a memory limit of 0 as unlimited, tmpfs options after the size as more mount
/// options ("64m,exec"), an empty network mode as the default bridge. What may be relaxed needs its
/// named opt-in; what is never safe (a working directory under /proc, the class of CVE-2024-21626)
/// is always refused.
/// </summary>
internal static class ProtectionRules
{
    public static void Check(ToolRunSpec spec)
    {
        Require(spec.PidsLimit > 0, nameof(ToolRunSpec.PidsLimit), "must be positive (0 or -1 would mean no limit at all)");
        Require(spec.MemoryBytes > 0, nameof(ToolRunSpec.MemoryBytes), "must be positive (0 would mean unlimited memory)");
        Require(spec.CpuLimit is > 0 and <= 1024, nameof(ToolRunSpec.CpuLimit), "must be a positive number of CPUs (0 would mean no limit)");
        Require(spec.OpenFilesLimit > 0, nameof(ToolRunSpec.OpenFilesLimit), "must be positive");
        Require(spec.ProcessesPerUserLimit > 0, nameof(ToolRunSpec.ProcessesPerUserLimit), "must be positive");
        Require(spec.TmpSize is null || IsSize(spec.TmpSize), nameof(ToolRunSpec.TmpSize), "must be a size such as 64m and nothing else (other tmpfs options would be applied too)");
        Require(IsSize(spec.ImageVolumeSize), nameof(ToolRunSpec.ImageVolumeSize), "must be a size such as 64m and nothing else");
        Require(!string.IsNullOrWhiteSpace(spec.NetworkMode), nameof(ToolRunSpec.NetworkMode), "must not be empty (the engine would use its default bridge); use \"none\"");
        Require(spec.NetworkMode == "none" || spec.AllowNetwork, nameof(ToolRunSpec.NetworkMode),
            $"'{spec.NetworkMode}' gives the tool a network; set AllowNetwork = true to mean it");
        Require(spec.AllowCapabilities || spec.DropCapabilities.Contains("ALL", StringComparer.OrdinalIgnoreCase), nameof(ToolRunSpec.DropCapabilities),
            "must drop ALL; set AllowCapabilities = true to keep some");
        Require(spec.AllowCapabilities || spec.AddCapabilities.Count == 0, nameof(ToolRunSpec.AddCapabilities),
            $"adds {string.Join(", ", spec.AddCapabilities)}; set AllowCapabilities = true to mean it");
        Require(spec.WorkingDirectory is null || !VolumePathRules.IsUnderProcOrClimbs(spec.WorkingDirectory), nameof(ToolRunSpec.WorkingDirectory),
            "must not be under /proc (a working directory there can reach the host's file descriptors)");
        CheckEnvironment(spec.Environment, nameof(ToolRunSpec.Environment), showValues: true);
        CheckEnvironment(spec.SecretEnvironment, nameof(ToolRunSpec.SecretEnvironment), showValues: false);
        if (spec.Environment?.Keys.FirstOrDefault(name => spec.SecretEnvironment?.ContainsKey(name) == true) is { } both)
        {
            throw new UnsafeToolSpecException(nameof(ToolRunSpec.SecretEnvironment), $"'{both}' is also in Environment; give each variable one value");
        }
    }

    /// <summary>
    /// A name is "NAME=value" on the engine's side: '=' or NUL in it would set another variable or cut
    /// it short, so names are POSIX-portable; a NUL in a value would cut it short. Secret values are never shown.
    /// </summary>
    private static void CheckEnvironment(IReadOnlyDictionary<string, string>? variables, string property, bool showValues)
    {
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            Require(VolumePathRules.IsEnvironmentVariableName(name), property, $"'{Printable.Of(name)}' is not a variable name (a letter or '_', then letters, digits or '_')");
            Require(value is not null && !value.Contains('\0', StringComparison.Ordinal), property,
                $"the value of '{name}' {(showValues ? $"('{Printable.Of(value)}') " : "")}is null or holds a NUL character");
        }
    }

    private static void Require(bool condition, string property, string problem)
    {
        if (!condition)
        {
            throw new UnsafeToolSpecException(property, problem);
        }
    }

    /// <summary>A tmpfs size: digits with an optional k, m or g suffix.</summary>
    private static bool IsSize(string value)
    {
        var digits = value.Length > 0 && value[^1] is 'k' or 'm' or 'g' or 'K' or 'M' or 'G' ? value[..^1] : value;
        return digits.Length is > 0 and <= 15 && digits.All(char.IsAsciiDigit) &&
            long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) > 0;
    }
}
