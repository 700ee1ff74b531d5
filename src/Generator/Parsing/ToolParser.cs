using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Declarations;
using VolumeGen.Generator.Models;

namespace VolumeGen.Generator.Parsing;

/// <summary>Turns an attributed type into a <see cref="ToolModel"/>, or null when the declaration has problems.</summary>
internal static class ToolParser
{
    public static ToolModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.Length == 0)
        {
            return null;
        }

        var declaration = ToolDeclarationInspector.Inspect(type, context.Attributes[0], cancellationToken);
        if (declaration.Problems.Count > 0)
        {
            return null; // The analyzer reports why; emitting would produce broken code.
        }

        return new ToolModel(
            NamespaceOf(type),
            EquatableArray.From(ContainingTypesOf(type)),
            type.Name,
            Keyword(type),
            type.IsValueType ? RunAsyncDispatch.Plain
                : declaration.OverridesBaseTool ? RunAsyncDispatch.Override
                : type.IsSealed ? RunAsyncDispatch.Plain
                : RunAsyncDispatch.Virtual,
            declaration.Image,
            declaration.PullPolicy,
            declaration.ImageDigest,
            Arguments(declaration.Command),
            Arguments(declaration.Entrypoint),
            declaration.NamedString(nameof(ContainerToolAttribute.User)),
            declaration.NamedString(nameof(ContainerToolAttribute.WorkingDirectory)),
            declaration.InputMount,
            declaration.OutputMount,
            declaration.TimeoutSeconds,
            declaration.AllowNonZeroExit,
            new ToolLimits(declaration.NetworkMode, declaration.MemoryBytes, declaration.CpuLimit, declaration.PidsLimit),
            EquatableArray.From(declaration.Inputs.Select(i => new InputFileModel(i.Property.Name, i.FileName, i.Kind))),
            EquatableArray.From(declaration.Outputs.Select(o => new OutputFileModel(o.Property.Name, o.FileName, o.Kind, o.Optional))),
            EquatableArray.From(declaration.Variables.Select(v => new VariableModel(v.Property.Name, v.Name, v.Kind, v.Nullable, v.Secret))));
    }

    /// <summary>
    /// The dotted namespace of plain names, not '@'-escaped (ToDisplayString escapes keywords, and an
    /// '@' is not allowed in a hint name); the emitter escapes where it writes code.
    /// </summary>
    private static string? NamespaceOf(INamedTypeSymbol type)
    {
        var names = new System.Collections.Generic.List<string>();
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            names.Insert(0, ns.Name);
        }

        return names.Count == 0 ? null : string.Join(".", names);
    }

    private static EquatableArray<ArgumentModel>? Arguments(System.Collections.Generic.List<System.Collections.Generic.List<ArgumentPart>>? arguments) =>
        arguments is null ? null : EquatableArray.From(arguments.Select(parts => new ArgumentModel(EquatableArray.From(parts))));

    private static ContainingType[] ContainingTypesOf(INamedTypeSymbol type)
    {
        var outer = new System.Collections.Generic.List<ContainingType>();
        for (var current = type.ContainingType; current is not null; current = current.ContainingType)
        {
            outer.Insert(0, new ContainingType(Keyword(current), current.Name));
        }

        return outer.ToArray();
    }

    private static string Keyword(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() switch
        {
            RecordDeclarationSyntax { ClassOrStructKeyword.ValueText: "struct" } => "record struct",
            RecordDeclarationSyntax => "record",
            StructDeclarationSyntax => "struct",
            InterfaceDeclarationSyntax => "interface",
            _ => "class",
        };
}
