namespace VolumeGen.Generator;

/// <summary>Names of the tracked pipeline steps, asserted by the caching tests.</summary>
internal static class TrackingNames
{
    public const string Declarations = "VolumeGen.Declarations";
    public const string ValidTools = "VolumeGen.ValidTools";
    public const string HintNames = "VolumeGen.HintNames";
}
