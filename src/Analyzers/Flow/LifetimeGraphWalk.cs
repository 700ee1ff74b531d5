using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers.Flow;

/// <summary>
/// Forward data flow over one control-flow graph (a method, lambda or local function body) until
/// nothing changes: normal edges, early returns and loop back edges from the graph itself, and the
/// exceptional edges it leaves implicit: from every operation that may throw to the catch handlers
/// and finally blocks around it, or out of the body. A finally block is entered from every path that
/// leaves its try (their states joined) and continues to each of their destinations. The volumes
/// alive where the body ends, normally or by an exception, are the leaks.
/// </summary>
internal sealed class LifetimeGraphWalk
{
    private readonly ControlFlowGraph graph;
    private readonly LifetimeTransfer transfer;
    private readonly LifetimeState?[] entries;
    private readonly Queue<int> pending = new();
    private readonly bool[] queued;
    private readonly Dictionary<ControlFlowRegion, HashSet<int>> finallyDestinations = [];
    private readonly HashSet<ControlFlowRegion> finallysLeftByExceptions = [];

    private LifetimeGraphWalk(ControlFlowGraph graph, LifetimeTransfer transfer)
    {
        this.graph = graph;
        this.transfer = transfer;
        entries = new LifetimeState?[graph.Blocks.Length];
        queued = new bool[graph.Blocks.Length];
    }

    /// <summary>The volumes alive where the body ends, normally or by an exception.</summary>
    private ulong Leaked { get; set; }

    /// <summary>Walks the graph; returns the volumes that may leak (or were lost by being created again while alive).</summary>
    public static ulong FindLeaks(ControlFlowGraph graph, LifetimeTransfer transfer)
    {
        var walk = new LifetimeGraphWalk(graph, transfer);
        walk.CollectFinallyDestinations();
        walk.JoinInto(0, new LifetimeState());
        while (walk.pending.Count > 0)
        {
            var ordinal = walk.pending.Dequeue();
            walk.queued[ordinal] = false;
            walk.Process(graph.Blocks[ordinal]);
        }

        return walk.Leaked | transfer.Overwritten;
    }

    /// <summary>Where each finally block continues: the next finally on the way, or the branch's destination.</summary>
    private void CollectFinallyDestinations()
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch is null || branch.FinallyRegions.IsEmpty)
                {
                    continue;
                }

                for (var i = 0; i < branch.FinallyRegions.Length; i++)
                {
                    var next = i + 1 < branch.FinallyRegions.Length ? branch.FinallyRegions[i + 1].FirstBlockOrdinal : branch.Destination?.Ordinal;
                    if (next is { } ordinal)
                    {
                        DestinationsOf(branch.FinallyRegions[i]).Add(ordinal);
                    }
                }
            }
        }
    }

    private HashSet<int> DestinationsOf(ControlFlowRegion finallyRegion)
    {
        if (!finallyDestinations.TryGetValue(finallyRegion, out var destinations))
        {
            finallyDestinations[finallyRegion] = destinations = [];
        }

        return destinations;
    }

    private void Process(BasicBlock block)
    {
        var state = entries[block.Ordinal]!.Clone();
        if (block.Kind == BasicBlockKind.Exit)
        {
            Leaked |= state.Alive;
            return;
        }

        foreach (var operation in block.Operations)
        {
            transfer.Evaluate(operation, state);
        }

        var branchValue = block.BranchValue is { } value ? transfer.Evaluate(value, state) : FlowValue.None;
        if (transfer.TakeExceptional() is { } thrown)
        {
            Throw(block.EnclosingRegion, thrown);
        }

        if (block.ConditionalSuccessor is { } conditional)
        {
            var (whenTaken, otherwise) = SplitOnNullTest(block, state);
            Follow(conditional, whenTaken);
            if (block.FallThroughSuccessor is { } fallThrough)
            {
                Follow(fallThrough, otherwise);
            }

            return;
        }

        if (block.FallThroughSuccessor is not { } successor)
        {
            return;
        }

        switch (successor.Semantics)
        {
            case ControlFlowBranchSemantics.Return:
                state.HandOver(branchValue.Volumes); // returned: the caller owns it
                state.Release(branchValue.CleanupTasks); // and awaits the returned cleanup
                Follow(successor, state);
                break;
            case ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow:
                Throw(block.EnclosingRegion, state);
                break;
            case ControlFlowBranchSemantics.StructuredExceptionHandling:
                LeaveHandlerRegion(block.EnclosingRegion, state);
                break;
            case ControlFlowBranchSemantics.Regular:
                Follow(successor, state);
                break;
        }
    }

    private void Follow(ControlFlowBranch branch, LifetimeState state)
    {
        if (!branch.FinallyRegions.IsEmpty)
        {
            JoinInto(branch.FinallyRegions[0].FirstBlockOrdinal, state);
        }
        else if (branch.Destination is { } destination)
        {
            JoinInto(destination.Ordinal, state);
        }
    }

    /// <summary>An exception leaves <paramref name="region"/>: to the handlers of the enclosing tries, or out of the body.</summary>
    private void Throw(ControlFlowRegion? region, LifetimeState state)
    {
        // A lambda's graph sits inside its parent's regions: the walk stops at this graph's root.
        for (var current = region; current is not null && current != graph.Root; current = current.EnclosingRegion)
        {
            if (current.Kind != ControlFlowRegionKind.Try || current.EnclosingRegion is not { } statement)
            {
                continue;
            }

            if (statement.Kind == ControlFlowRegionKind.TryAndFinally)
            {
                var finallyRegion = statement.NestedRegions[1];
                var firstTime = finallysLeftByExceptions.Add(finallyRegion);
                JoinInto(finallyRegion.FirstBlockOrdinal, state, force: firstTime);
                return;
            }

            foreach (var handler in statement.NestedRegions.Skip(1))
            {
                JoinInto(handler.FirstBlockOrdinal, state);
                if (handler.Kind == ControlFlowRegionKind.Catch && CatchesEverything(handler.ExceptionType))
                {
                    return;
                }
            }
        }

        Leaked |= state.Alive;
    }

    /// <summary>The end of a finally (it continues where the paths through it were going) or of an exception filter.</summary>
    private void LeaveHandlerRegion(ControlFlowRegion? region, LifetimeState state)
    {
        while (region is not null && region.Kind is not (ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter))
        {
            region = region.EnclosingRegion;
        }

        if (region?.EnclosingRegion is not { } statement)
        {
            return;
        }

        if (region.Kind == ControlFlowRegionKind.Filter)
        {
            JoinInto(statement.NestedRegions[1].FirstBlockOrdinal, state); // the filter accepted: its catch
            Throw(statement.EnclosingRegion, state); // or refused: further out
            return;
        }

        foreach (var destination in DestinationsOf(region))
        {
            JoinInto(destination, state);
        }

        if (finallysLeftByExceptions.Contains(region))
        {
            Throw(statement, state);
        }
    }

    /// <summary>
    /// A branch on whether a volume reference is null (as <c>await using</c> and <c>v?.CleanupAsync()</c>
    /// compile to): on the null side that reference holds no volume (nor the task of its cleanup,
    /// as after <c>var t = v?.CleanupAsync()</c>), so the volumes it points to are not alive along it
    /// (a freshly created volume is never null).
    /// </summary>
    private (LifetimeState WhenTaken, LifetimeState Otherwise) SplitOnNullTest(BasicBlock block, LifetimeState state)
    {
        if (NullTest(block.BranchValue) is not var (operand, nullWhenTrue))
        {
            return (state, state);
        }

        var value = transfer.Peek(operand, state);
        var pointed = value.Volumes | value.CleanupTasks;
        if (pointed == 0)
        {
            return (state, state);
        }

        var whenNull = state.Clone();
        whenNull.Release(pointed);
        var takenWhenNull = (block.ConditionKind == ControlFlowConditionKind.WhenTrue) == nullWhenTrue;
        return takenWhenNull ? (whenNull, state) : (state, whenNull);
    }

    private static (IOperation Operand, bool NullWhenTrue)? NullTest(IOperation? condition) => condition?.WithoutConversions() switch
    {
        IIsNullOperation isNull => (isNull.Operand, true),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary when IsNull(binary.RightOperand) =>
            (binary.LeftOperand, binary.OperatorKind == BinaryOperatorKind.Equals),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary when IsNull(binary.LeftOperand) =>
            (binary.RightOperand, binary.OperatorKind == BinaryOperatorKind.Equals),
        IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern when IsNull(constant.Value) => (pattern.Value, true),
        IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } pattern when IsNull(constant.Value) =>
            (pattern.Value, false),
        IIsPatternOperation { Pattern: IRecursivePatternOperation or IDeclarationPatternOperation or ITypePatternOperation } pattern => (pattern.Value, false),
        IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not when NullTest(not.Operand) is var (operand, nullWhenTrue) => (operand, !nullWhenTrue),
        _ => null,
    };

    private static bool IsNull(IOperation operation) => operation.WithoutConversions().ConstantValue is { HasValue: true, Value: null };

    private static bool CatchesEverything(ITypeSymbol? exceptionType) =>
        exceptionType is null || exceptionType.SpecialType == SpecialType.System_Object || exceptionType.ToDisplayString() == "System.Exception";

    private void JoinInto(int ordinal, LifetimeState state, bool force = false)
    {
        var changed = force;
        if (entries[ordinal] is not { } entry)
        {
            entries[ordinal] = state.Clone();
            changed = true;
        }
        else
        {
            changed |= entry.JoinWith(state);
        }

        if (changed && !queued[ordinal])
        {
            queued[ordinal] = true;
            pending.Enqueue(ordinal);
        }
    }
}
