using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers.Flow;

/// <summary>
/// What one body does with each volume it can see, followed through locals (aliases, <c>?:</c>,
/// <c>??</c>), independent of order: whether <c>InitializeAsync</c> fills it with files, whether it
/// is read back (<c>ReadFilesAsync</c>, <c>ReadFileBytesAsync</c>, <c>CopyFileToAsync</c>), and whether it
/// leaves the body (passed on, stored, returned), after which anything may happen to it. A volume is
/// identified by its <c>new IsolatedContainerVolume(...)</c> in the body, or by the parameter, field or
/// property it comes from (whose history is not visible here).
/// </summary>
internal sealed class VolumeProvenance
{
    private static readonly ImmutableHashSet<string> ReadMethods = ImmutableHashSet.Create("ReadFilesAsync", "ReadFileBytesAsync", "ReadDirectoryAsync", "CopyFileToAsync");

    private readonly KnownTypes types;
    private readonly Dictionary<ILocalSymbol, HashSet<object>> aliases = new(SymbolEqualityComparer.Default);
    private readonly HashSet<object> filled = [];
    private readonly HashSet<object> readBack = [];
    private readonly HashSet<object> escaped = [];

    private VolumeProvenance(KnownTypes types) => this.types = types;

    public static VolumeProvenance Of(IEnumerable<IOperation> bodies, KnownTypes types)
    {
        var provenance = new VolumeProvenance(types);
        var operations = bodies.SelectMany(b => b.DescendantsAndSelf()).ToList();
        provenance.FollowAliases(operations);
        foreach (var operation in operations)
        {
            provenance.Record(operation);
        }

        return provenance;
    }

    /// <summary>The volumes an expression may be.</summary>
    public IReadOnlyCollection<object> Resolve(IOperation? expression)
    {
        var found = new HashSet<object>();
        Resolve(expression, found);
        return found;
    }

    /// <summary>Created here, filled with files, never read back and never out of sight: it holds inputs.</summary>
    public bool HoldsInputs(object volume) =>
        volume is IObjectCreationOperation && filled.Contains(volume) && !readBack.Contains(volume) && !escaped.Contains(volume);

    /// <summary>Its history is not (all) visible here: a parameter, field or property, or a volume that left the body.</summary>
    public bool IsOutOfSight(object volume) => volume is not IObjectCreationOperation || escaped.Contains(volume);

    private void Resolve(IOperation? expression, HashSet<object> found)
    {
        switch (expression?.WithoutConversions())
        {
            case IObjectCreationOperation creation when types.IsVolume(creation.Type):
                found.Add(creation);
                break;
            case ILocalReferenceOperation local when aliases.TryGetValue(local.Local, out var known):
                found.UnionWith(known);
                break;
            case IParameterReferenceOperation parameter when types.IsVolume(parameter.Type):
                found.Add(parameter.Parameter);
                break;
            case IMemberReferenceOperation member when types.IsVolume(member.Type):
                found.Add(member.Member);
                break;
            case IConditionalOperation conditional:
                Resolve(conditional.WhenTrue, found);
                Resolve(conditional.WhenFalse, found);
                break;
            case ICoalesceOperation coalesce:
                Resolve(coalesce.Value, found);
                Resolve(coalesce.WhenNull, found);
                break;
            case ISwitchExpressionOperation switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    Resolve(arm.Value, found);
                }

                break;
        }
    }

    /// <summary>Which volumes each local may hold, until nothing changes (assignments may come in any order).</summary>
    private void FollowAliases(List<IOperation> operations)
    {
        var stores = operations.Select(o => o switch
        {
            IVariableDeclaratorOperation { Initializer: { } initializer } declarator => (declarator.Symbol, initializer.Value),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment => (local.Local, assignment.Value),
            _ => (null!, null!),
        }).Where(s => s.Item1 is not null && types.IsVolume(s.Item1.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated))).ToList();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (local, value) in stores)
            {
                if (!aliases.TryGetValue(local, out var known))
                {
                    aliases[local] = known = [];
                }

                var before = known.Count;
                Resolve(value, known);
                changed |= known.Count != before;
            }
        }
    }

    private void Record(IOperation operation)
    {
        if (operation is not (ILocalReferenceOperation or IParameterReferenceOperation or IMemberReferenceOperation or IObjectCreationOperation)
            || !types.IsVolume(operation.Type))
        {
            return;
        }

        var volumes = Resolve(operation);
        var use = operation;
        while (use.Parent is IConversionOperation or IParenthesizedOperation or IConditionalOperation or ICoalesceOperation or ISwitchExpressionArmOperation or ISwitchExpressionOperation)
        {
            use = use.Parent;
        }

        if (use.Parent is IConditionalAccessOperation access && access.Operation == use && access.WhenNotNull.WithoutConversions() is IInvocationOperation viaNullCheck)
        {
            RecordCall(viaNullCheck, volumes); // v?.ReadFilesAsync(...)
            return;
        }

        switch (use.Parent)
        {
            case IInvocationOperation call when call.Instance == use:
                RecordCall(call, volumes);
                break;
            case IPropertyReferenceOperation property when property.Instance == use:
            case IVariableInitializerOperation:
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation } assignment when assignment.Value == use:
            case ISimpleAssignmentOperation assignmentTarget when assignmentTarget.Target == use:
            case IUsingOperation or IUsingDeclarationOperation or IIsPatternOperation or IBinaryOperation:
            case IConditionalAccessOperation:
                break; // reading a property, an alias, 'await using', a null check: the volume stays here
            case var _ when IsCleanedUpBy(use):
                break;
            case IArgumentOperation { Parent: IInvocationOperation configured } when KnownTypes.IsConfiguredAsyncDisposable(configured.TargetMethod):
                break; // 'await using (volume.ConfigureAwait(false))': disposed here, not read elsewhere
            default:
                escaped.UnionWith(volumes); // passed on, stored, returned: it may be read elsewhere
                break;
        }
    }

    /// <summary>An argument of <c>VolumeCleanup.CleanupAsync(failure, volumes...)</c>: removed, not read elsewhere.</summary>
    private bool IsCleanedUpBy(IOperation use)
    {
        var current = use.Parent;
        while (current is IArrayInitializerOperation or IArrayCreationOperation or IArgumentOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IInvocationOperation call && types.IsVolumeCleanupHelper(call.TargetMethod);
    }

    private void RecordCall(IInvocationOperation call, IReadOnlyCollection<object> volumes)
    {
        if (call.TargetMethod.Name == "InitializeAsync" && !IsEvidentlyEmpty(call.Arguments.FirstOrDefault()?.Value))
        {
            filled.UnionWith(volumes);
        }
        else if (ReadMethods.Contains(call.TargetMethod.Name))
        {
            readBack.UnionWith(volumes);
        }
    }

    /// <summary>A literal with nothing in it: <c>new Dictionary&lt;,&gt;()</c>, <c>[]</c>, <c>Array.Empty&lt;T&gt;()</c>.</summary>
    private static bool IsEvidentlyEmpty(IOperation? files) => files?.WithoutConversions() switch
    {
        IObjectCreationOperation creation => creation.Arguments.IsEmpty && creation.Initializer is null or { Initializers.IsEmpty: true },
        ICollectionExpressionOperation collection => collection.Elements.IsEmpty,
        IArrayCreationOperation array => array.Initializer is { ElementValues.IsEmpty: true } || array.DimensionSizes.All(d => d.ConstantValue is { HasValue: true, Value: 0 }),
        IInvocationOperation { TargetMethod.Name: "Empty" } empty => empty.TargetMethod.ContainingType.Name is "Array" or "ImmutableArray" or "Enumerable",
        _ => false,
    };
}
