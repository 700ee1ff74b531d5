namespace VolumeGen.Validation;

/// <summary>Rules for tenant and run identifiers, which become part of Docker volume names.</summary>
internal static class IdentifierRules
{
    /// <summary>Longest accepted tenant or run identifier.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// Returns why <paramref name="value"/> is not a safe identifier, or null. Identifiers are
    /// rejected rather than rewritten: silently mapping two tenants onto one name would merge them.
    /// </summary>
    public static string? GetProblem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty";
        }

        if (value.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return $"it contains '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4") : c.ToString())}'; allowed are ASCII letters, digits, '-', '_' and '.'";
            }
        }

        return null;
    }

    /// <summary>
    /// Returns why <paramref name="value"/> is not a Docker volume name (which is what a tool mount
    /// source must be), or null. A path fails: it would be a host bind mount.
    /// </summary>
    public static string? GetVolumeNameProblem(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 255 || !char.IsAsciiLetterOrDigit(value[0]) ||
            !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return "the source must be a named volume (use IsolatedContainerVolume.GetVolumeConfig), not a host path";
        }

        return null;
    }
}
