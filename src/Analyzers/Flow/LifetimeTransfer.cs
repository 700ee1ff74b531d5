using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers.Flow;

/// <summary>
/// What each operation of a control-flow graph does to volume lifetimes, evaluated in execution
/// order (operands first). Every operation that may throw records the state an exception would leave
/// with; the graph walk sends it to the handlers. Property reads, casts and arithmetic are assumed not
/// to throw (the rule page says so): calls, awaits and object creations may.
/// </summary>
internal sealed class LifetimeTransfer(KnownTypes types, OwnershipOptions ownership, ISet<ISymbol> captured)
{
    /// <summary>More volumes than bits in one body: the rule says nothing there rather than guess.</summary>
    private const int MaxTrackedVolumes = 64;

    private static readonly HashSet<string> StoringMethodNames =
    [
        "Add", "AddRange", "Insert", "InsertRange", "Push", "Enqueue", "TryAdd", "TryPush", "TryEnqueue",
        "AddOrUpdate", "GetOrAdd", "Set", "SetItem", "TryWrite", "WriteAsync", "Post", "SendAsync",
    ];

    private readonly List<IObjectCreationOperation> creations = [];
    private readonly Dictionary<SyntaxNode, int> indexBySyntax = [];
    private readonly Dictionary<int, string> names = [];
    private LifetimeState? exceptional;

    /// <summary>Volumes created again while the previous one created there was still alive (that one is lost).</summary>
    public ulong Overwritten { get; private set; }

    /// <summary>The body has more volume creations than the analysis tracks.</summary>
    public bool Abandoned { get; private set; }

    public IObjectCreationOperation Creation(int index) => creations[index];

    /// <summary>The first local the volume was stored in, for the message.</summary>
    public string NameOf(int index) => names.TryGetValue(index, out var name) ? name : "volume";

    /// <summary>The state exceptions thrown by the operations evaluated since the last call would leave with.</summary>
    public LifetimeState? TakeExceptional()
    {
        var taken = exceptional;
        exceptional = null;
        return taken;
    }

    /// <summary>What a condition's operand points to, without evaluating anything.</summary>
    public FlowValue Peek(IOperation operation, LifetimeState state) => operation.WithoutConversions() switch
    {
        ILocalReferenceOperation local when !captured.Contains(local.Local) => state[local.Local],
        IParameterReferenceOperation parameter => state[parameter.Parameter],
        IFlowCaptureReferenceOperation capture => state[capture.Id],
        _ => FlowValue.None,
    };

    public FlowValue Evaluate(IOperation operation, LifetimeState state)
    {
        switch (operation)
        {
            case IObjectCreationOperation creation:
                return Create(creation, state);
            case IFlowCaptureOperation capture:
                state[capture.Id] = Evaluate(capture.Value, state);
                return FlowValue.None;
            case IFlowCaptureReferenceOperation capture:
                return state[capture.Id];
            case ILocalReferenceOperation local:
                return captured.Contains(local.Local) ? FlowValue.None : state[local.Local];
            case IParameterReferenceOperation parameter:
                return state[parameter.Parameter];
            case IConversionOperation conversion:
                return Evaluate(conversion.Operand, state);
            case IParenthesizedOperation parenthesized:
                return Evaluate(parenthesized.Operand, state);
            case ISimpleAssignmentOperation assignment:
                return Assign(assignment, state);
            case IInvocationOperation invocation:
                return Invoke(invocation, state);
            case IAwaitOperation awaiting:
                var awaited = Evaluate(awaiting.Operation, state);
                state.Release(awaited.CleanupTasks);
                MayThrow(state, awaited.InitializeTasks);
                return FlowValue.None;
            case IReturnOperation { ReturnedValue: { } returned }: // yield return; plain returns are branches
                HandOver(Evaluate(returned, state), state);
                return FlowValue.None;
            case IArrayCreationOperation or ICollectionExpressionOperation or ITupleOperation or IAnonymousObjectCreationOperation:
                var held = EvaluateChildren(operation, state);
                if (IsAggregatedByCall(operation))
                {
                    return held; // the tasks of Task.WhenAll(...), the volumes of VolumeCleanup.CleanupAsync(...)
                }

                HandOver(held, state); // stored in a collection: owned by whoever owns the collection
                return FlowValue.None;
            case IIsPatternOperation pattern:
                var tested = Evaluate(pattern.Value, state);
                var declared = pattern.Pattern switch
                {
                    IDeclarationPatternOperation declaration => declaration.DeclaredSymbol,
                    IRecursivePatternOperation recursive => recursive.DeclaredSymbol,
                    _ => null,
                };
                if (declared is not null)
                {
                    state[declared] = tested; // 'v is { } created': created is the same volume
                }

                return FlowValue.None;
            case IArrayInitializerOperation initializer:
                return EvaluateChildren(initializer, state); // what its array holds
            case IFlowAnonymousFunctionOperation or IDelegateCreationOperation:
                return FlowValue.None; // their bodies are graphs of their own
            default:
                var used = EvaluateChildren(operation, state);
                if (operation is IDynamicInvocationOperation or IDynamicObjectCreationOperation)
                {
                    state.GiveTo(used.Volumes);
                    MayThrow(state);
                }

                return FlowValue.None;
        }
    }

    private FlowValue Create(IObjectCreationOperation creation, LifetimeState state)
    {
        var arguments = EvaluateArguments(creation.Arguments, state);
        if (creation.Initializer is { } initializer)
        {
            arguments = arguments.Union(EvaluateChildren(initializer, state));
        }

        if (!types.IsVolume(creation.Type))
        {
            // VolumeGen's own types (a mount, a spec) never own the volume.
            var mayOwn = creation.Type?.ContainingNamespace?.ToDisplayString() != "VolumeGen";
            if (mayOwn && !ownership.TransferAtConstructor && types.IsDisposable(creation.Type))
            {
                // A disposable built around the volume (a record owning a run's volumes, a scope
                // struct) carries it, as ConfigureAwait's configured disposable does: disposing the
                // holder cleans the volume up, a holder never disposed leaks it.
                MayThrow(state); // the constructor: what it was given was not initialized by it yet
                state.GiveTo(arguments.Volumes); // the holder's code may initialize them
                state.Release(arguments.CleanupTasks);
                return FlowValue.OfVolumes(arguments.Volumes);
            }

            // Given to any other constructor, a volume stays the caller's (as in CA2000) unless the team says otherwise.
            PassOn(arguments, ownership.TransferAtConstructor && mayOwn, state);
            return FlowValue.None;
        }

        MayThrow(state); // the constructor validates its arguments: nothing exists yet if it throws
        var bit = Register(creation);
        if ((state.Alive & bit) != 0)
        {
            Overwritten |= bit;
        }

        state.Create(bit);
        return FlowValue.OfVolumes(bit);
    }

    private FlowValue Assign(ISimpleAssignmentOperation assignment, LifetimeState state)
    {
        var value = Evaluate(assignment.Value, state);
        switch (assignment.Target)
        {
            case ILocalReferenceOperation local when !captured.Contains(local.Local):
                state[local.Local] = value;
                Name(value.Volumes, local.Local.Name);
                break;
            case IParameterReferenceOperation parameter when parameter.Parameter.RefKind == RefKind.None && !captured.Contains(parameter.Parameter):
                state[parameter.Parameter] = value;
                break;
            case IDiscardOperation:
                break; // '_ = volume.CleanupAsync()' drops the task: nothing is released
            case var target:
                // A field, property, indexer, array element, out/ref parameter or captured local:
                // the volume is owned by whatever holds it now.
                EvaluateChildren(target, state);
                HandOver(value, state);
                break;
        }

        return value;
    }

    private FlowValue Invoke(IInvocationOperation invocation, LifetimeState state)
    {
        var method = invocation.TargetMethod;
        var instance = invocation.Instance is { } receiver ? Evaluate(receiver, state) : FlowValue.None;
        var arguments = EvaluateArguments(invocation.Arguments, state);

        if (instance.Volumes != 0 && method.Name is "CleanupAsync" or "DisposeAsync")
        {
            return new FlowValue(0, instance.Volumes, 0); // released once the task is awaited
        }

        if (instance.Volumes != 0 && types.IsVolume(method.ContainingType))
        {
            if (method.Name == "InitializeAsync")
            {
                state.Acquire(instance.Volumes);
                return new FlowValue(0, 0, instance.Volumes);
            }

            MayThrow(state); // GetVolumeConfig, ReadFilesAsync...: the volume stays as it is
            return FlowValue.None;
        }

        if (types.IsVolumeCleanupHelper(method))
        {
            return new FlowValue(0, arguments.Volumes, 0);
        }

        if (KnownTypes.IsConfiguredAsyncDisposable(method))
        {
            return arguments; // the configured disposable carries the volume: disposing it is disposing the volume
        }

        if (IsTaskMethod(method, "WhenAll") || method.Name is "ConfigureAwait" or "GetAwaiter")
        {
            return arguments.Union(instance).TasksOnly;
        }

        if (method.Name is "GetResult" or "Wait" && (instance.CleanupTasks | instance.InitializeTasks) != 0)
        {
            state.Release(instance.CleanupTasks); // blocking on the task waits for the cleanup as well
            MayThrow(state, instance.InitializeTasks);
            return FlowValue.None;
        }

        PassOn(arguments, ownership.TransferAtMethodCall || IsStoredBy(invocation), state);
        return FlowValue.None;
    }

    /// <summary>
    /// Values given to a method or constructor that may throw: handed over when it takes ownership;
    /// otherwise the volumes stay the caller's (the callee may have initialized them) and a cleanup
    /// task given to other code is assumed awaited there.
    /// </summary>
    private void PassOn(FlowValue arguments, bool takesOwnership, LifetimeState state)
    {
        if (takesOwnership)
        {
            HandOver(arguments, state);
        }
        else
        {
            state.GiveTo(arguments.Volumes);
            state.Release(arguments.CleanupTasks);
        }

        MayThrow(state);
    }

    private FlowValue EvaluateArguments(IEnumerable<IArgumentOperation> arguments, LifetimeState state) =>
        arguments.Aggregate(FlowValue.None, (all, argument) => all.Union(Evaluate(argument.Value, state)));

    private FlowValue EvaluateChildren(IOperation operation, LifetimeState state) =>
        operation.ChildOperations.Aggregate(FlowValue.None, (all, child) => all.Union(Evaluate(child, state)));

    private static void HandOver(FlowValue value, LifetimeState state)
    {
        state.HandOver(value.Volumes);
        state.Release(value.CleanupTasks); // a cleanup task stored or given away is assumed awaited there
    }

    private void MayThrow(LifetimeState state, ulong cleanedUpOnFailure = 0)
    {
        var thrown = state.Clone();
        thrown.Release(cleanedUpOnFailure); // a failed InitializeAsync removes its volume itself
        if (exceptional is null)
        {
            exceptional = thrown;
        }
        else
        {
            exceptional.JoinWith(thrown);
        }
    }

    private ulong Register(IObjectCreationOperation creation)
    {
        if (!indexBySyntax.TryGetValue(creation.Syntax, out var index))
        {
            if (creations.Count == MaxTrackedVolumes)
            {
                Abandoned = true;
                return 0;
            }

            index = creations.Count;
            creations.Add(creation);
            indexBySyntax.Add(creation.Syntax, index);
        }

        return 1UL << index;
    }

    private void Name(ulong volumes, string name)
    {
        for (var index = 0; index < creations.Count; index++)
        {
            if ((volumes & (1UL << index)) != 0 && !names.ContainsKey(index))
            {
                names[index] = name;
            }
        }
    }

    /// <summary>An array or collection built right into the arguments of Task.WhenAll or VolumeCleanup.CleanupAsync.</summary>
    private bool IsAggregatedByCall(IOperation operation) =>
        operation.Parent is IArgumentOperation { Parent: IInvocationOperation call }
        && (IsTaskMethod(call.TargetMethod, "WhenAll") || types.IsVolumeCleanupHelper(call.TargetMethod));

    private bool IsTaskMethod(IMethodSymbol method, string name) =>
        method.Name == name && KnownTypes.Is(method.ContainingType, types.Task);

    /// <summary>A collection's or channel's method that keeps its argument: the volume is owned by the collection.</summary>
    private bool IsStoredBy(IInvocationOperation invocation)
    {
        if (!StoringMethodNames.Contains(invocation.TargetMethod.Name))
        {
            return false;
        }

        var receiver = invocation.Instance?.Type ?? (invocation.TargetMethod.IsExtensionMethod ? invocation.Arguments.FirstOrDefault()?.Value.Type : null);
        return receiver is not null
            && (receiver.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable)
                || receiver.Name is "ChannelWriter" or "ITargetBlock" or "BufferBlock");
    }
}
