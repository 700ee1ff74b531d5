using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Diagnostics;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers;

/// <summary>
/// VG0002: <c>GetVolumeConfig(target, false)</c> on a volume that holds inputs: its target is an
/// input path, or the method never reads the volume back (so the tool has no reason to write to it).
/// A volume that leaves the method (passed on, stored, returned) may be read elsewhere: not reported
/// unless the target says it is an input.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReadWriteInputMountAnalyzer : VolumeGenAnalyzer
{
    private static readonly ImmutableHashSet<string> ReadMethods = ImmutableHashSet.Create("ReadFilesAsync", "ReadFileBytesAsync", "CopyFileToAsync");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InputVolumeMountedReadWrite);

    /// <inheritdoc />
    private protected override void Register(CompilationStartAnalysisContext context, KnownTypes types) =>
        context.RegisterOperationAction(c => Analyze(c, types), OperationKind.Invocation);

    /// <summary>Whether a mount target names an input directory by convention.</summary>
    public static bool IsInputPath(string target)
    {
        var trimmed = target.TrimEnd('/');
        return trimmed is "/inputs" or "/input" || trimmed.StartsWith("/inputs/", System.StringComparison.Ordinal) || trimmed.StartsWith("/input/", System.StringComparison.Ordinal);
    }

    private static void Analyze(OperationAnalysisContext context, KnownTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name != "GetVolumeConfig" || !types.IsVolume(invocation.TargetMethod.ContainingType))
        {
            return;
        }

        var readOnly = invocation.Argument("readOnly");
        if (readOnly is null || readOnly.ArgumentKind == ArgumentKind.DefaultValue || readOnly.Value.ConstantValue is not { HasValue: true, Value: false })
        {
            return; // read-only, or decided at run time
        }

        var target = invocation.Argument("target")?.Value.ConstantString();
        var volume = invocation.Instance?.WithoutConversions();
        var name = volume is ILocalReferenceOperation local ? local.Local.Name : volume?.Syntax.ToString() ?? "volume";
        string? reason = null;
        if (target is not null && IsInputPath(target))
        {
            reason = "its target is an input path";
        }
        else if (volume is ILocalReferenceOperation reference && IsNeverReadAndStaysLocal(reference.Local, invocation))
        {
            reason = "this method never reads it back";
        }

        if (reason is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InputVolumeMountedReadWrite, readOnly.Value.Syntax.GetLocation(), name, target ?? "?", reason));
        }
    }

    private static bool IsNeverReadAndStaysLocal(ILocalSymbol volume, IOperation anyUse)
    {
        foreach (var reference in anyUse.Root().DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, volume))
            {
                continue;
            }

            switch (reference.Parent)
            {
                case IInvocationOperation call when call.Instance == reference:
                    if (ReadMethods.Contains(call.TargetMethod.Name))
                    {
                        return false;
                    }

                    continue;
                case IVariableDeclaratorOperation:
                    continue;
                case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                    continue;
                case IUsingOperation or IUsingDeclarationOperation:
                    continue;
                default:
                    // Passed to a helper, stored, returned or captured: it may be read elsewhere.
                    return false;
            }
        }

        return true;
    }
}
