using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace VolumeGen.Analyzers.Operations;

/// <summary>A mount built read-write: the expression of the volume it mounts, its target when constant, where to report.</summary>
internal sealed record WritableMount(IOperation Volume, string? Target, Location Location);

/// <summary>
/// Every way the code builds a read-write mount of a volume: <c>GetVolumeConfig(target, false)</c>,
/// <c>new VolumeMount(v.Name, target, false)</c> (or <c>{ ReadOnly = false }</c>), <c>mount with { ReadOnly = false }</c>,
/// Docker.DotNet's <c>new Mount { Source = v.Name }</c> without <c>ReadOnly = true</c> (read-write is its
/// default), and a bind string <c>$"{v.Name}:/target"</c> without <c>ro</c>. A flag decided at run time is not
/// reported.
/// </summary>
internal static class WritableMounts
{
    public static WritableMount? Find(IOperation operation, KnownTypes types) => IsOverriddenByWith(operation) ? null : operation switch
    {
        IInvocationOperation { TargetMethod.Name: "GetVolumeConfig" } call when types.IsVolume(call.TargetMethod.ContainingType)
            && call.Argument("readOnly") is { ArgumentKind: not ArgumentKind.DefaultValue } readOnly && IsFalse(readOnly.Value) =>
            new WritableMount(call.Instance!, call.Argument("target")?.Value.ConstantString(), readOnly.Value.Syntax.GetLocation()),
        IObjectCreationOperation creation when KnownTypes.Is(creation.Type, types.VolumeMount) => FromVolumeMount(creation),
        IObjectCreationOperation creation when KnownTypes.Is(creation.Type, types.DockerMount) => FromDockerMount(creation),
        IWithOperation with when KnownTypes.Is(with.Type, types.VolumeMount) && Assigned(with.Initializer, "ReadOnly") is { } flag && IsFalse(flag)
            && SourceOf(with.Operand) is { } source =>
            new WritableMount(source.Volume, source.Target, flag.Syntax.GetLocation()),
        IInterpolatedStringOperation bind => FromBindString(bind, types),
        _ => null,
    };

    /// <summary><c>v.GetVolumeConfig(t, false) with { ReadOnly = ... }</c>: the <c>with</c> decides.</summary>
    private static bool IsOverriddenByWith(IOperation operation) =>
        operation.Parent is IWithOperation with && with.Operand == operation && Assigned(with.Initializer, "ReadOnly") is not null;

    /// <summary>The volume expression behind <c>v.Name</c>.</summary>
    private static IOperation? VolumeOfName(IOperation? source) =>
        source?.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Name", Instance: { } volume } ? volume : null;

    private static WritableMount? FromVolumeMount(IObjectCreationOperation creation)
    {
        var flag = Assigned(creation.Initializer, "ReadOnly") ?? creation.Argument("ReadOnly")?.Value;
        return flag is not null && IsFalse(flag) && VolumeOfName(creation.Argument("Source")?.Value) is { } volume
            ? new WritableMount(volume, creation.Argument("Target")?.Value.ConstantString(), flag.Syntax.GetLocation())
            : null;
    }

    private static WritableMount? FromDockerMount(IObjectCreationOperation creation)
    {
        if (VolumeOfName(Assigned(creation.Initializer, "Source")) is not { } volume)
        {
            return null;
        }

        var target = Assigned(creation.Initializer, "Target")?.ConstantString();
        return Assigned(creation.Initializer, "ReadOnly") switch
        {
            null => new WritableMount(volume, target, creation.Syntax.GetLocation()), // read-write unless told otherwise
            var flag when IsFalse(flag) => new WritableMount(volume, target, flag.Syntax.GetLocation()),
            _ => null,
        };
    }

    /// <summary><c>$"{v.Name}:/inputs"</c> or <c>$"{v.Name}:/inputs:rw"</c>: a bind spec that is not read-only.</summary>
    private static WritableMount? FromBindString(IInterpolatedStringOperation bind, KnownTypes types)
    {
        if (bind.Parts.FirstOrDefault() is not IInterpolationOperation first
            || VolumeOfName(first.Expression) is not { } volume
            || !types.IsVolume(volume.Type))
        {
            return null;
        }

        var rest = string.Concat(bind.Parts.Skip(1).Select(p => p is IInterpolatedStringTextOperation text ? text.Text.ConstantString() : "\0"));
        var fields = rest.Split(':');
        if (!rest.StartsWith(":", System.StringComparison.Ordinal) || rest.IndexOf('\0') >= 0 || fields.Length < 2)
        {
            return null; // not (only) a constant "name:target[:options]"
        }

        var options = fields.Length > 2 ? fields[2].Split(',') : [];
        return options.Contains("ro") ? null : new WritableMount(volume, fields[1], bind.Syntax.GetLocation());
    }

    /// <summary>What a mount value was built from: <c>v.GetVolumeConfig(target, ...)</c> or <c>new VolumeMount(v.Name, target, ...)</c>.</summary>
    private static (IOperation Volume, string? Target)? SourceOf(IOperation mount) => mount.WithoutConversions() switch
    {
        IInvocationOperation { TargetMethod.Name: "GetVolumeConfig", Instance: { } volume } call => (volume, call.Argument("target")?.Value.ConstantString()),
        IObjectCreationOperation creation when VolumeOfName(creation.Argument("Source")?.Value) is { } volume =>
            (volume, creation.Argument("Target")?.Value.ConstantString()),
        IWithOperation with => SourceOf(with.Operand),
        ILocalReferenceOperation local when local.Local.DeclaringSyntaxReferences.Length == 1 => SourceOfLocal(local),
        _ => null,
    };

    /// <summary>A local mount given one value only (its initializer, or a single assignment).</summary>
    private static (IOperation Volume, string? Target)? SourceOfLocal(ILocalReferenceOperation local) =>
        local.StoredValues().ToList() is [var only] ? SourceOf(only) : null;

    private static IOperation? Assigned(IObjectOrCollectionInitializerOperation? initializer, string property) =>
        initializer?.Initializers.OfType<ISimpleAssignmentOperation>()
            .FirstOrDefault(a => a.Target is IPropertyReferenceOperation p && p.Property.Name == property)?.Value;

    private static bool IsFalse(IOperation value) => value.WithoutConversions().ConstantValue is { HasValue: true, Value: false };
}
