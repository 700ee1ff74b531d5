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
/// VG0004: a mount whose source is a path on the worker's filesystem. Under Docker-in-Docker the
/// daemon resolves it on its own side, so the tool sees an empty or missing directory. Checks
/// <c>VolumeMount</c> sources, Docker.DotNet <c>Mount</c>s (any <c>Type = "bind"</c> is a host path,
/// whatever its source) and <c>HostConfig.Binds</c> entries (assigned, added, or collected in a
/// local list first), following each source as far as <see cref="HostPathDetector"/> can. The Docker
/// socket is allowed: a worker that talks to the daemon mounts it on purpose.
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
        context.RegisterOperationAction(c => AnalyzeCreation(c, types, detector), OperationKind.ObjectCreation);
        if (types.DockerHostConfig is not null)
        {
            context.RegisterOperationAction(c => AnalyzeBinds(c, types, detector), OperationKind.SimpleAssignment, OperationKind.Invocation);
        }
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, KnownTypes types, HostPathDetector detector)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (KnownTypes.Is(creation.Type, types.VolumeMount) && creation.Argument("Source")?.Value is { } source)
        {
            Report(context, detector.Describe(source), source);
        }
        else if (KnownTypes.Is(creation.Type, types.DockerMount) && Assigned(creation, "Source") is { } mountSource)
        {
            if (IsSocket(mountSource) || Assigned(creation, "Target")?.ConstantString() is { } target && HostPathDetector.IsDockerSocket(target))
            {
                return;
            }

            var isBind = Assigned(creation, "Type")?.ConstantString() == "bind";
            Report(context, detector.Describe(mountSource) ?? (isBind ? $"'{mountSource.Syntax}' (a bind mount's source is always a path on the daemon's host)" : null), mountSource);
        }
    }

    /// <summary><c>config.Binds = [...]</c>, <c>config.Binds = list</c> (a local filled in the body), <c>config.Binds.Add(...)</c>.</summary>
    private static void AnalyzeBinds(OperationAnalysisContext context, KnownTypes types, HostPathDetector detector)
    {
        var entries = context.Operation switch
        {
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment when IsBinds(target, types) => Elements(assignment.Value),
            IInvocationOperation { TargetMethod.Name: "Add", Instance: IPropertyReferenceOperation target } add when IsBinds(target, types) => add.Arguments.Select(a => a.Value),
            _ => [],
        };
        foreach (var entry in entries)
        {
            if (!IsSocketBind(entry))
            {
                Report(context, detector.Describe(entry), entry);
            }
        }
    }

    private static bool IsBinds(IPropertyReferenceOperation property, KnownTypes types) =>
        property.Property.Name == "Binds" && KnownTypes.Is(property.Property.ContainingType, types.DockerHostConfig);

    private static IEnumerable<IOperation> Elements(IOperation value) => value.WithoutConversions() switch
    {
        IArrayCreationOperation { Initializer: { } init } => init.ElementValues,
        IObjectCreationOperation { Initializer: { } init } => init.Initializers.OfType<IInvocationOperation>()
            .Where(add => add.Arguments.Length == 1).Select(add => add.Arguments[0].Value),
        ICollectionExpressionOperation collection => collection.Elements,
        ILocalReferenceOperation local => EntriesOfLocalList(local),
        _ => [],
    };

    /// <summary>A local list given to Binds: what it was created with, and what the body adds to it.</summary>
    private static IEnumerable<IOperation> EntriesOfLocalList(ILocalReferenceOperation list) =>
        list.StoredValues().SelectMany(Elements)
            .Concat(list.CallsOn().Where(add => add.TargetMethod.Name == "Add").SelectMany(add => add.Arguments.Select(a => a.Value)));

    private static IOperation? Assigned(IObjectCreationOperation creation, string property) =>
        creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>()
            .FirstOrDefault(a => a.Target is IPropertyReferenceOperation p && p.Property.Name == property)?.Value;

    private static bool IsSocket(IOperation source) => source.ConstantString() is { } path && HostPathDetector.IsDockerSocket(path);

    /// <summary>"/var/run/docker.sock:/var/run/docker.sock", or $"{socket}:/var/run/docker.sock": the daemon's socket.</summary>
    private static bool IsSocketBind(IOperation entry)
    {
        var text = entry.WithoutConversions() switch
        {
            IInterpolatedStringOperation interpolated => string.Concat(interpolated.Parts.Select(p => p is IInterpolatedStringTextOperation t ? t.Text.ConstantString() : "{}")),
            var other => other.ConstantString(),
        };
        return text?.Split(':') is { Length: >= 2 } fields && (HostPathDetector.IsDockerSocket(fields[0]) || HostPathDetector.IsDockerSocket(fields[1]));
    }

    private static void Report(OperationAnalysisContext context, string? description, IOperation source)
    {
        if (description is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HostBindMount, source.Syntax.GetLocation(), description));
        }
    }
}
