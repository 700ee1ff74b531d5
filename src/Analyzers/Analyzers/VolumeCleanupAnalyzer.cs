using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Diagnostics;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers;

/// <summary>
/// VG0001: an <c>IsolatedContainerVolume</c> created in a method must be cleaned up on every path.
/// Accepted: <c>await using</c>; <c>CleanupAsync</c>/<c>DisposeAsync</c> in the <c>finally</c> of a
/// <c>try</c> that covers every use (also inside <c>Task.WhenAll</c>); returning it; storing it in a
/// field or property (of an <c>IAsyncDisposable</c> owner, or of any owner: undecidable here); passing
/// it to another method (ownership moves). Reported: no cleanup, cleanup only on the happy path, or
/// only in a <c>catch</c>. Where the code does something this rule cannot follow (a capture by a
/// lambda, an alias), it stays silent rather than guess.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VolumeCleanupAnalyzer : VolumeGenAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.VolumeNotCleanedUp);

    /// <inheritdoc />
    private protected override void Register(CompilationStartAnalysisContext context, KnownTypes types) =>
        context.RegisterOperationAction(c => Analyze(c, types), OperationKind.ObjectCreation);

    private static void Analyze(OperationAnalysisContext context, KnownTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!types.IsVolume(creation.Type))
        {
            return;
        }

        IOperation value = creation;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        var leaked = value.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } =>
                IsUsingDeclaration(declarator) ? null : CheckLocal(declarator.Symbol, creation),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == value =>
                CheckLocal(local.Local, creation),
            // The volume is used and dropped in one expression: nothing can ever clean it up.
            IInvocationOperation call when call.Instance == value && !IsCleanup(call) => "volume",
            IConditionalAccessOperation access when access.Operation == value => "volume",
            // Returned, passed on, stored in a field or property, used as a using resource: owned elsewhere.
            _ => null,
        };

        if (leaked is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.VolumeNotCleanedUp, creation.Syntax.GetLocation(), leaked));
        }
    }

    private static bool IsUsingDeclaration(IVariableDeclaratorOperation declarator)
    {
        var owner = declarator.Parent?.Parent; // declarator -> declaration -> (group ->) using
        if (owner is IVariableDeclarationGroupOperation group)
        {
            owner = group.Parent;
        }

        return owner is IUsingDeclarationOperation or IUsingOperation;
    }

    /// <summary>Returns the local's name when it is not cleaned up on all paths, null when it is (or when undecidable).</summary>
    private static string? CheckLocal(ILocalSymbol local, IObjectCreationOperation creation)
    {
        var function = creation.EnclosingFunction();
        var references = creation.Root().DescendantsAndSelf().OfType<ILocalReferenceOperation>()
            .Where(r => SymbolEqualityComparer.Default.Equals(r.Local, local))
            .ToList();
        if (references.Any(r => r.EnclosingFunction() != function))
        {
            return null; // captured by a lambda or local function: its lifetime is not visible here
        }

        var uses = new List<(ILocalReferenceOperation Reference, IInvocationOperation? Call)>();
        foreach (var reference in references)
        {
            if (reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference)
            {
                continue; // the assignment that stores the volume
            }

            if (reference.Parent is IPropertyReferenceOperation property && property.Instance == reference)
            {
                continue; // reading Name or IsInitialized touches nothing that needs cleaning up
            }

            var call = CallOn(reference);
            if (call is null)
            {
                return null; // returned, passed on, compared, stored elsewhere: ownership is not visible here
            }

            uses.Add((reference, call));
        }

        var cleanups = uses.Where(u => IsCleanup(u.Call!)).ToList();
        var others = uses.Where(u => !IsCleanup(u.Call!) && u.Call!.TargetMethod.Name != "InitializeAsync").ToList();
        foreach (var cleanup in cleanups)
        {
            if (EnclosingFinally(cleanup.Call!) is { } guard && others.All(o => o.Reference.IsWithin(guard)))
            {
                return null;
            }
        }

        return local.Name;
    }

    /// <summary>The invocation made on the volume through this reference (<c>v.M()</c> or <c>v?.M()</c>).</summary>
    private static IInvocationOperation? CallOn(ILocalReferenceOperation reference) => reference.Parent switch
    {
        IInvocationOperation call when call.Instance == reference => call,
        IConditionalAccessOperation access when access.Operation == reference => access.WhenNotNull.WithoutConversions() as IInvocationOperation,
        _ => null,
    };

    private static bool IsCleanup(IInvocationOperation call) => call.TargetMethod.Name is "CleanupAsync" or "DisposeAsync";

    /// <summary>The try statement whose finally block holds <paramref name="operation"/>, if any.</summary>
    private static ITryOperation? EnclosingFinally(IOperation operation)
    {
        for (var current = operation; current.Parent is not null; current = current.Parent)
        {
            if (current.Parent is ITryOperation @try && @try.Finally == current)
            {
                return @try;
            }

            if (current.Parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }
}
