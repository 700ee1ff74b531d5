using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Diagnostics;
using VolumeGen.Analyzers.Operations;
using VolumeGen.Validation;

namespace VolumeGen.Analyzers;

/// <summary>
/// VG0003 in code: file names given to VolumeGen (InitializeAsync dictionary keys, read methods,
/// VolumeFile factories) and mount targets (GetVolumeConfig, VolumeMount), checked with the
/// runtime's own rules (UTF-8 bytes, bidi and zero-width characters included): constants, the
/// constant skeleton of an interpolated string (<c>$"{dir}/../x"</c>), and the keys or elements of a
/// local dictionary or list built before the call. The mounts of one <c>ToolRunSpec</c> must not be
/// at the same or nested targets. Attribute arguments are checked by <see cref="ContainerToolDeclarationAnalyzer"/>.
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
        context.RegisterOperationAction(c => AnalyzeSpecMounts(c, types), OperationKind.ObjectOrCollectionInitializer);
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
                case "ReadFileBytesAsync" or "CopyFileToAsync" or "ReadDirectoryAsync":
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

    /// <summary><c>Mounts = [a.GetVolumeConfig("/data"), b.GetVolumeConfig("/data/sub")]</c> in a ToolRunSpec: one mount would hide the other.</summary>
    private static void AnalyzeSpecMounts(OperationAnalysisContext context, KnownTypes types)
    {
        var initializer = (IObjectOrCollectionInitializerOperation)context.Operation;
        var mounts = initializer.Initializers.OfType<ISimpleAssignmentOperation>()
            .FirstOrDefault(a => a.Target is IPropertyReferenceOperation { Property.Name: "Mounts" } p && KnownTypes.Is(p.Property.ContainingType, types.ToolRunSpec))?.Value;
        var targets = new List<(string Target, IOperation Value)>();
        foreach (var element in ElementsOf(mounts))
        {
            var target = element.WithoutConversions() switch
            {
                IInvocationOperation { TargetMethod.Name: "GetVolumeConfig" } call => call.Argument("target")?.Value,
                IObjectCreationOperation creation when KnownTypes.Is(creation.Type, types.VolumeMount) => creation.Argument("Target")?.Value,
                _ => null,
            };
            if (target?.ConstantString() is not { } text)
            {
                continue;
            }

            if (targets.FirstOrDefault(t => VolumePathRules.AreNested(t.Target, text)) is { Value: not null } other)
            {
                Report(context, target, text, $"it is the same as or nested with the mount at '{other.Target}' in the same spec: one mount would hide the other");
            }

            targets.Add((text, target));
        }
    }

    private static void CheckName(OperationAnalysisContext context, IOperation? value)
    {
        foreach (var candidate in CandidatesOf(value))
        {
            if (TextOf(candidate) is { } name && VolumePathRules.GetFileNameProblem(name) is { } problem)
            {
                Report(context, candidate, name, problem);
            }
        }
    }

    private static void CheckTarget(OperationAnalysisContext context, IOperation? value)
    {
        foreach (var candidate in CandidatesOf(value))
        {
            if (TextOf(candidate) is { } target && (VolumePathRules.GetMountTargetProblem(target) ?? VolumePathRules.GetReservedMountProblem(target)) is { } problem)
            {
                Report(context, candidate, target, problem);
            }
        }
    }

    /// <summary>Every value an argument may have: each arm of a <c>switch</c> expression, each side of <c>?:</c> and <c>??</c>.</summary>
    private static IEnumerable<IOperation> CandidatesOf(IOperation? value) => value?.WithoutConversions() switch
    {
        null => [],
        ISwitchExpressionOperation choice => choice.Arms.SelectMany(arm => CandidatesOf(arm.Value)),
        IConditionalOperation { WhenFalse: { } otherwise } conditional => CandidatesOf(conditional.WhenTrue).Concat(CandidatesOf(otherwise)),
        ICoalesceOperation coalesce => CandidatesOf(coalesce.Value).Concat(CandidatesOf(coalesce.WhenNull)),
        var single => [single],
    };

    /// <summary>
    /// A constant, or the constant skeleton of an interpolated string with each hole taken as one
    /// harmless character: <c>$"{dir}/../x"</c> has a '..' segment whatever <c>dir</c> is.
    /// </summary>
    private static string? TextOf(IOperation? value) => value?.WithoutConversions() switch
    {
        null => null,
        var constant when constant.ConstantString() is { } text => text,
        IInterpolatedStringOperation interpolated => string.Concat(interpolated.Parts.Select(p => p is IInterpolatedStringTextOperation t ? t.Text.ConstantString() : "x")),
        _ => null,
    };

    /// <summary>The elements of a collection literal, or of a local list built in the body (initializer and <c>Add</c> calls).</summary>
    private static IEnumerable<IOperation> ElementsOf(IOperation? value) => value?.WithoutConversions() switch
    {
        IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
        IObjectCreationOperation { Initializer: { } initializer } => initializer.Initializers.OfType<IInvocationOperation>()
            .Where(add => add.Arguments.Length == 1).Select(add => add.Arguments[0].Value),
        ICollectionExpressionOperation collection => collection.Elements,
        ILocalReferenceOperation local => local.StoredValues().SelectMany(ElementsOf)
            .Concat(local.CallsOn().Where(add => add.TargetMethod.Name == "Add" && add.Arguments.Length == 1).Select(add => add.Arguments[0].Value)),
        _ => [],
    };

    /// <summary>The keys of a dictionary literal, or of a local dictionary built in the body (initializer, <c>d[k] = v</c>, <c>Add</c>, <c>TryAdd</c>).</summary>
    private static IEnumerable<IOperation> KeysOf(IOperation? value) => value?.WithoutConversions() switch
    {
        IObjectCreationOperation { Initializer: { } initializer } => initializer.Initializers.Select(element => element switch
        {
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer } => indexer.Arguments[0].Value,
            IInvocationOperation { Arguments.Length: 2 } add => add.Arguments[0].Value,
            _ => null,
        }).OfType<IOperation>(),
        ILocalReferenceOperation local => local.StoredValues().SelectMany(KeysOf)
            .Concat(local.CallsOn().Where(add => add.TargetMethod.Name is "Add" or "TryAdd" && add.Arguments.Length == 2).Select(add => add.Arguments[0].Value))
            .Concat(IndexerKeysAssigned(local)),
        _ => [],
    };

    /// <summary>The keys of <c>files["k"] = v</c> assignments through the local.</summary>
    private static IEnumerable<IOperation> IndexerKeysAssigned(ILocalReferenceOperation local) =>
        local.Root().DescendantsAndSelf().OfType<ISimpleAssignmentOperation>()
            .Select(a => a.Target)
            .OfType<IPropertyReferenceOperation>()
            .Where(indexer => indexer.Arguments.Length == 1 && indexer.Instance is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local.Local))
            .Select(indexer => indexer.Arguments[0].Value);

    private static void CheckElements(OperationAnalysisContext context, IOperation? value)
    {
        foreach (var element in ElementsOf(value))
        {
            CheckName(context, element);
        }
    }

    private static void CheckDictionaryKeys(OperationAnalysisContext context, IOperation? value)
    {
        foreach (var key in KeysOf(value))
        {
            CheckName(context, key);
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation value, string text, string problem) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsafeFilePath, value.Syntax.GetLocation(), text, problem));
}
