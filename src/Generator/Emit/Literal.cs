using Microsoft.CodeAnalysis.CSharp;

namespace VolumeGen.Generator.Emit;

/// <summary>C# literals for values that came from attribute arguments.</summary>
internal static class Literal
{
    public static string Of(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
