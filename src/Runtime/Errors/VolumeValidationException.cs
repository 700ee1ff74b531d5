namespace VolumeGen;

/// <summary>
/// An identifier, file name or mount target was rejected before anything touched Docker.
/// </summary>
public sealed class VolumeValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public VolumeValidationException(string paramName, string? value, string problem)
        : base($"{Describe(paramName)} '{(value is null ? "<null>" : VolumeGen.Validation.Printable.Of(value, MaxShownChars))}' is not allowed: {problem}.", paramName)
    {
        Value = value;
        Problem = problem;
    }

    /// <summary>The most of a rejected value a message shows (a 5,000-character ID is cut, saying so).</summary>
    private const int MaxShownChars = 128;

    /// <summary>The rejected value.</summary>
    public string? Value { get; }

    /// <summary>Why it was rejected.</summary>
    public string Problem { get; }

    private static string Describe(string paramName) => paramName switch
    {
        "tenantId" => "Tenant ID",
        "runId" => "Run ID",
        "target" => "Mount target",
        "source" => "Mount source",
        "user" => "User",
        "image" => "Image",
        "imageDigest" => "Image digest",
        _ => "File name",
    };
}
