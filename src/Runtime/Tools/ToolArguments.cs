using System.Globalization;

namespace VolumeGen;

/// <summary>
/// A property's value in a tool's command line (a <c>{Name}</c> placeholder of a generated wrapper),
/// checked before anything runs: it must have a value, must not hold NUL (the engine would cut the
/// argument there), and when it is a whole argument must not start with '-' (the tool would read it
/// as an option: the command-line form of injection). No shell ever sees it.
/// </summary>
public static class ToolArguments
{
    /// <summary>The text, checked.</summary>
    /// <exception cref="ArgumentException">No value, a NUL, or an option-like whole argument.</exception>
    public static string Of(string property, string? value, bool wholeArgument)
    {
        if (value is null)
        {
            throw new ArgumentException($"'{property}' has no value, and the tool's command line needs one.", property);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{property}' holds a NUL character, which cannot be passed in an argument.", property);
        }

        if (wholeArgument && value.StartsWith('-'))
        {
            throw new ArgumentException($"'{property}' starts with '-', so the tool would read it as an option; values cannot add options.", property);
        }

        return value;
    }

    /// <summary>The number, formatted invariantly (a negative one cannot be a whole argument).</summary>
    public static string Of(string property, long? value, bool wholeArgument) =>
        Of(property, value?.ToString(CultureInfo.InvariantCulture), wholeArgument);

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static string Of(string property, bool? value, bool wholeArgument) =>
        Of(property, value is null ? null : value.Value ? "true" : "false", wholeArgument);
}
