using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace VolumeGen.Analyzers.Flow;

/// <summary>
/// Where VG0001 assumes a volume changes owner, read from <c>.editorconfig</c> with the option names
/// CA2000 uses: by default (as in CA2000) passing a volume to a method or a constructor does not, so
/// the caller still has to clean it up.
/// </summary>
internal readonly record struct OwnershipOptions(bool TransferAtMethodCall, bool TransferAtConstructor)
{
    public const string MethodCallKey = "dotnet_code_quality.VG0001.dispose_ownership_transfer_at_method_call";
    public const string ConstructorKey = "dotnet_code_quality.VG0001.dispose_ownership_transfer_at_constructor";

    public static OwnershipOptions For(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return new OwnershipOptions(IsTrue(config, MethodCallKey), IsTrue(config, ConstructorKey));
    }

    private static bool IsTrue(AnalyzerConfigOptions config, string key) =>
        config.TryGetValue(key, out var text) && bool.TryParse(text.Trim(), out var value) && value;
}
