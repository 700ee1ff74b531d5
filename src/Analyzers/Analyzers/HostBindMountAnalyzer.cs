using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Diagnostics;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers;

/// <summary>
/// VG0004: a mount whose source is a path on the worker's filesystem. Under Docker-in-Docker the
/// daemon resolves it on its own side, so the tool sees an empty or missing directory. Checks
/// <c>VolumeMount</c> sources, Docker.DotNet <c>Mount.Source</c> and <c>HostConfig.Binds</c> entries.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HostBindMountAnalyzer : VolumeGenAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.HostBindMount);

    /// <inheritdoc />
    private protected override void Register(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var detector = new HostPathDetector(types);
        context.RegisterOperationAction(c => AnalyzeVolumeMount(c, types, detector), OperationKind.ObjectCreation);
        if (types.DockerMount is not null || types.DockerHostConfig is not null)
        {
            context.RegisterOperationAction(c => AnalyzeDockerModels(c, types, detector), OperationKind.SimpleAssignment);
        }
    }

    private static void AnalyzeVolumeMount(OperationAnalysisContext context, KnownTypes types, HostPathDetector detector)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (KnownTypes.Is(creation.Type, types.VolumeMount) && creation.Argument("Source")?.Value is { } source)
        {
            Report(context, detector, source);
        }
    }

    private static void AnalyzeDockerModels(OperationAnalysisContext context, KnownTypes types, HostPathDetector detector)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property })
        {
            return;
        }

        if (KnownTypes.Is(property.ContainingType, types.DockerMount) && property.Name == "Source")
        {
            Report(context, detector, assignment.Value);
        }
        else if (KnownTypes.Is(property.ContainingType, types.DockerHostConfig) && property.Name == "Binds")
        {
            // Binds = new List<string> { "/host:/container" } or new[] { ... } or [ ... ]
            foreach (var element in Elements(assignment.Value.WithoutConversions()))
            {
                Report(context, detector, element);
            }
        }
    }

    private static IOperation[] Elements(IOperation value) => value switch
    {
        IArrayCreationOperation { Initializer: { } init } => init.ElementValues.ToArray(),
        IObjectCreationOperation { Initializer: { } init } => init.Initializers.OfType<IInvocationOperation>()
            .Where(add => add.Arguments.Length == 1).Select(add => add.Arguments[0].Value).ToArray(),
        ICollectionExpressionOperation collection => collection.Elements.ToArray(),
        _ => System.Array.Empty<IOperation>(),
    };

    private static void Report(OperationAnalysisContext context, HostPathDetector detector, IOperation source)
    {
        if (detector.Describe(source) is { } description)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HostBindMount, source.Syntax.GetLocation(), description));
        }
    }
}
