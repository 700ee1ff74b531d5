using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Declarations;
using VolumeGen.Generator.Emit;
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

        context.RegisterSourceOutput(tools, static (output, tool) => output.AddSource(tool!.HintName, ToolEmitter.Emit(tool)));
    }
}
