using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Diagnostics;
using VolumeGen.Analyzers.Operations;
using VolumeGen.Validation;

namespace VolumeGen.Analyzers;

/// <summary>
/// VG0003 in code: constant file names given to VolumeGen (InitializeAsync dictionary keys, read
/// methods, VolumeFile factories) and constant mount targets (GetVolumeConfig, VolumeMount), checked
/// with the runtime's own rules. Attribute arguments are checked by <see cref="ContainerToolDeclarationAnalyzer"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsafeFilePathAnalyzer : VolumeGenAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnsafeFilePath);

    /// <inheritdoc />
    private protected override void Register(CompilationStartAnalysisContext context, KnownTypes types)
    {
        context.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
        context.RegisterOperationAction(c => AnalyzeCreation(c, types), OperationKind.ObjectCreation);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (types.IsVolume(method.ContainingType))
        {
            switch (method.Name)
            {
                case "GetVolumeConfig":
                    CheckTarget(context, invocation.Argument("target")?.Value);
                    break;
                case "ReadFileBytesAsync" or "CopyFileToAsync":
                    CheckName(context, invocation.Argument("name")?.Value);
                    break;
                case "ReadFilesAsync":
                    CheckElements(context, invocation.Argument("names")?.Value);
                    break;
                case "InitializeAsync":
                    CheckDictionaryKeys(context, invocation.Argument("files")?.Value);
                    break;
            }
        }
        else if (KnownTypes.Is(method.ContainingType, types.VolumeFile) && method.Name.StartsWith("From", System.StringComparison.Ordinal))
        {
            CheckName(context, invocation.Argument("name")?.Value);
        }
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, KnownTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (KnownTypes.Is(creation.Type, types.VolumeMount))
        {
            CheckTarget(context, creation.Argument("Target")?.Value);
        }
    }

    private static void CheckName(OperationAnalysisContext context, IOperation? value)
    {
        if (value?.ConstantString() is { } name && VolumePathRules.GetFileNameProblem(name) is { } problem)
        {
            Report(context, value, name, problem);
        }
    }

    private static void CheckTarget(OperationAnalysisContext context, IOperation? value)
    {
        if (value?.ConstantString() is { } target && (VolumePathRules.GetMountTargetProblem(target) ?? VolumePathRules.GetReservedMountProblem(target)) is { } problem)
        {
            Report(context, value, target, problem);
        }
    }

    /// <summary>Constant elements of an array, collection initializer or collection expression.</summary>
    private static void CheckElements(OperationAnalysisContext context, IOperation? value)
    {
        switch (value?.WithoutConversions())
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                foreach (var element in initializer.ElementValues)
                {
                    CheckName(context, element);
                }

                break;
            case IObjectCreationOperation { Initializer: { } initializer }:
                foreach (var element in initializer.Initializers)
                {
                    if (element is IInvocationOperation { Arguments.Length: 1 } add)
                    {
                        CheckName(context, add.Arguments[0].Value);
                    }
                }

                break;
            case ICollectionExpressionOperation collection:
                foreach (var element in collection.Elements)
                {
                    CheckName(context, element);
                }

                break;
        }
    }

    /// <summary>Constant keys in <c>new Dictionary { ["k"] = v }</c> or <c>{ { "k", v } }</c>.</summary>
    private static void CheckDictionaryKeys(OperationAnalysisContext context, IOperation? value)
    {
        if (value?.WithoutConversions() is not IObjectCreationOperation { Initializer: { } initializer })
        {
            return;
        }

        foreach (var element in initializer.Initializers)
        {
            switch (element)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer }:
                    CheckName(context, indexer.Arguments[0].Value);
                    break;
                case IInvocationOperation { Arguments.Length: 2 } add:
                    CheckName(context, add.Arguments[0].Value);
                    break;
            }
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation value, string text, string problem) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsafeFilePath, value.Syntax.GetLocation(), text, problem));
}
