namespace VolumeGen.Analyzers.Diagnostics;

/// <summary>Rule categories.</summary>
internal static class DiagnosticCategories
{
    public const string Reliability = "Reliability";
    public const string Security = "Security";
    public const string Usage = "Usage";
}
