using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Declarations;
using VolumeGen.Generator.Emit;
using VolumeGen.Generator.Models;
using VolumeGen.Generator.Parsing;

namespace VolumeGen.Generator;

/// <summary>Emits <c>RunAsync</c> for every valid <c>[ContainerTool]</c> partial class.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class ContainerToolGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tools = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ToolDeclarationInspector.ContainerToolAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                ToolParser.Parse)
            .WithTrackingName(TrackingNames.Declarations)
            .Where(static tool => tool is not null)
            .WithTrackingName(TrackingNames.ValidTools);

        // Hint names must be unique ignoring case; tools whose names differ only in case need to see
        // each other. The names alone are collected (value-equal), so an edit that keeps every name
        // leaves the other tools' outputs cached.
        var hintNames = tools
            .Select(static (tool, _) => tool!.HintName)
            .Collect()
            .Select(static (names, _) => EquatableArray.From(names))
            .WithTrackingName(TrackingNames.HintNames);

        context.RegisterSourceOutput(tools.Combine(hintNames), static (output, pair) =>
            output.AddSource(HintNames.UniqueIgnoringCase(pair.Left!.HintName, pair.Right), ToolEmitter.Emit(pair.Left!)));
    }
}
