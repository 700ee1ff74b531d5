using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Diagnostics;
using VolumeGen.Analyzers.Flow;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers;

/// <summary>
/// VG0001: every <c>new IsolatedContainerVolume(...)</c> must be cleaned up on every path from the
/// moment it may hold something on the engine (its <c>InitializeAsync</c>, or being given to other
/// code) to every way out of the body: normal end, early return, loop back edge, exception. Decided
/// on the control-flow graph, the way CA2000 decides for <c>IDisposable</c>: an awaited
/// <c>CleanupAsync</c>/<c>DisposeAsync</c>/<c>VolumeCleanup.CleanupAsync</c> releases it, so does
/// handing it over (returned, stored in a field, property, collection or captured variable,
/// <c>await using</c>). Passing it to a method or constructor is not a hand-over unless
/// <c>.editorconfig</c> says so (<see cref="OwnershipOptions"/>). Lambda and local-function bodies are
/// graphs of their own.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VolumeCleanupAnalyzer : VolumeGenAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.VolumeNotCleanedUp);

    /// <inheritdoc />
    private protected override void Register(CompilationStartAnalysisContext context, KnownTypes types) =>
        context.RegisterOperationBlockStartAction(start =>
        {
            // Building graphs is the expensive part: only for bodies that create a volume.
            var createsVolume = false;
            start.RegisterOperationAction(
                c => createsVolume |= types.IsVolume(((IObjectCreationOperation)c.Operation).Type),
                OperationKind.ObjectCreation);
            start.RegisterOperationBlockEndAction(end =>
            {
                if (createsVolume)
                {
                    Analyze(end, types);
                }
            });
        });

    private static void Analyze(OperationBlockAnalysisContext context, KnownTypes types)
    {
        var analyzed = new HashSet<IOperation>();
        foreach (var block in context.OperationBlocks)
        {
            if (block is not (IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation or IFieldInitializerOperation or IPropertyInitializerOperation))
            {
                continue;
            }

            // A body's graph covers it from its root (a method body's block is part of the method body).
            var graph = context.GetControlFlowGraph(block);
            if (!analyzed.Add(graph.OriginalOperation))
            {
                continue;
            }

            var ownership = OwnershipOptions.For(context.Options, block.Syntax.SyntaxTree);
            var captured = CapturedVariables(graph.OriginalOperation);
            Analyze(graph, new LifetimeTransfer(types, ownership, captured), context, types, ownership, captured);
        }
    }

    private static void Analyze(
        ControlFlowGraph graph, LifetimeTransfer transfer, OperationBlockAnalysisContext context, KnownTypes types, OwnershipOptions ownership, ISet<ISymbol> captured)
    {
        var leaked = LifetimeGraphWalk.FindLeaks(graph, transfer);
        for (var index = 0; leaked != 0 && !transfer.Abandoned && index < 64; index++)
        {
            if ((leaked & (1UL << index)) != 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.VolumeNotCleanedUp, transfer.Creation(index).Syntax.GetLocation(), transfer.NameOf(index)));
            }
        }

        var nested = graph.LocalFunctions.Select(f => graph.GetLocalFunctionControlFlowGraph(f, context.CancellationToken)).Concat(
            graph.Blocks.SelectMany(b => b.Operations.Concat(b.BranchValue is { } v ? [v] : []))
                .SelectMany(o => o.DescendantsAndSelf()).OfType<IFlowAnonymousFunctionOperation>()
                .Select(f => graph.GetAnonymousFunctionControlFlowGraph(f, context.CancellationToken)));
        foreach (var body in nested)
        {
            Analyze(body, new LifetimeTransfer(types, ownership, captured), context, types, ownership, captured);
        }
    }

    /// <summary>
    /// Locals and parameters used by a lambda or local function other than the one declaring them:
    /// who cleans up a volume stored there is not visible from either body, so storing it there is a hand-over.
    /// </summary>
    private static ISet<ISymbol> CapturedVariables(IOperation root)
    {
        var captured = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var function in root.Descendants())
        {
            var symbol = function switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };
            if (symbol is null)
            {
                continue;
            }

            foreach (var reference in OwnOperations(function))
            {
                ISymbol? variable = reference switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (variable is not null && !SymbolEqualityComparer.Default.Equals(variable.ContainingSymbol, symbol))
                {
                    captured.Add(variable);
                }
            }
        }

        return captured;
    }

    /// <summary>The operations of a function's body, without those of the functions nested in it.</summary>
    private static IEnumerable<IOperation> OwnOperations(IOperation function)
    {
        foreach (var child in function.ChildOperations)
        {
            if (child is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            yield return child;
            foreach (var descendant in OwnOperations(child))
            {
                yield return descendant;
            }
        }
    }
}
