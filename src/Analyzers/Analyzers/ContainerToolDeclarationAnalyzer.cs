using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using VolumeGen.Analyzers.Diagnostics;
using VolumeGen.Analyzers.Operations;
using VolumeGen.Declarations;

namespace VolumeGen.Analyzers;

/// <summary>
/// Reports why a [ContainerTool] declaration gets no generated code (VG0100-VG0105), and unsafe file
/// names and mount targets in its attributes (VG0003). Uses the generator's own inspector.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContainerToolDeclarationAnalyzer : VolumeGenAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnsafeFilePath,
        DiagnosticDescriptors.ToolTypeNotPartial,
        DiagnosticDescriptors.DuplicateFileName,
        DiagnosticDescriptors.FileIsInputAndOutput,
        DiagnosticDescriptors.UnsupportedFileProperty,
        DiagnosticDescriptors.UnsupportedToolType,
        DiagnosticDescriptors.InvalidToolConfiguration);

    /// <inheritdoc />
    private protected override void Register(CompilationStartAnalysisContext context, KnownTypes types)
    {
        if (types.ContainerToolAttribute is { } toolAttribute)
        {
            context.RegisterSymbolAction(symbol => Analyze(symbol, toolAttribute), SymbolKind.NamedType);
        }
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol toolAttribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, toolAttribute));
        if (attribute is null)
        {
            return;
        }

        foreach (var problem in ToolDeclarationInspector.Inspect(type, attribute, context.CancellationToken).Problems)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ById[problem.RuleId], problem.Location, problem.Arguments));
        }
    }
}
