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
    /// The one check of a tenant or run ID, on every path that takes one (volumes, runs with or without
    /// folders, pipelines, contexts, the sweeper's filter, the CLI): the ID becomes a volume name and a
    /// label value, so ESC, a newline or 5,000 characters never reach the engine, a log or a terminal.
    /// </summary>
    /// <param name="paramName">"tenantId" or "runId".</param>
    /// <param name="value">The ID; null only where the caller allows none.</param>
    /// <exception cref="VolumeValidationException"><paramref name="value"/> is not a safe identifier.</exception>
    public static string ThrowIfInvalid(string paramName, string? value) =>
        GetProblem(value) is { } problem ? throw new VolumeValidationException(paramName, value, problem) : value!;

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
