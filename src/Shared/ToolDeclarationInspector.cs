using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Diagnostics;
using VolumeGen.Validation;

namespace VolumeGen.Declarations;

/// <summary>How an [InputFile] property is written.</summary>
internal enum InputFileKind
{
    Text,
    Bytes,
    Memory,
    Stream,
}

/// <summary>How an [OutputFile] property is read.</summary>
internal enum OutputFileKind
{
    Text,
    Bytes,

    /// <summary>Copied into the Stream the property holds (the caller's destination).</summary>
    Stream,

    /// <summary>An [OutputDirectory]: every file under the folder, as UTF-8 text.</summary>
    TextDirectory,

    /// <summary>An [OutputDirectory]: every file under the folder, byte for byte.</summary>
    BytesDirectory,
}

/// <summary>How an [EnvironmentVariable] property is formatted.</summary>
internal enum VariableKind
{
    Text,
    Int32,
    Int64,
    Boolean,
}

/// <summary>A declared environment variable.</summary>
internal sealed class DeclaredVariable(IPropertySymbol property, string name, VariableKind kind, bool nullable, bool secret)
{
    public IPropertySymbol Property { get; } = property;

    public string Name { get; } = name;

    public VariableKind Kind { get; } = kind;

    /// <summary>Null means "not set" (a nullable value type, or a string).</summary>
    public bool Nullable { get; } = nullable;

    public bool Secret { get; } = secret;
}

/// <summary>One problem in a tool declaration: the rule, where, and the message arguments.</summary>
internal sealed class DeclarationProblem(string ruleId, Location? location, params object[] arguments)
{
    public string RuleId { get; } = ruleId;

    public Location? Location { get; } = location;

    public object[] Arguments { get; } = arguments;
}

/// <summary>A declared input (<see cref="InputFileKind"/>) or output (<see cref="OutputFileKind"/>) file.</summary>
internal sealed class DeclaredFile<TKind>(IPropertySymbol property, string fileName, TKind kind, bool optional)
    where TKind : struct
{
    public IPropertySymbol Property { get; } = property;

    public string FileName { get; } = fileName;

    public TKind Kind { get; } = kind;

    public bool Optional { get; } = optional;
}

/// <summary>
/// Reads a [ContainerTool] type and decides whether the generator can emit it. The generator emits
/// only declarations without problems; the analyzer reports the problems. One inspector serves both,
/// so "what is skipped" and "what is reported" cannot drift apart.
/// </summary>
internal sealed class ToolDeclarationInspector
{
    // The attributes are compiled in from their own source: their names and defaults come from there.
    public static readonly string ContainerToolAttributeName = typeof(ContainerToolAttribute).FullName!;
    public static readonly string InputFileAttributeName = typeof(InputFileAttribute).FullName!;
    public static readonly string OutputFileAttributeName = typeof(OutputFileAttribute).FullName!;
    public static readonly string OutputDirectoryAttributeName = typeof(OutputDirectoryAttribute).FullName!;
    public static readonly string EnvironmentVariableAttributeName = typeof(EnvironmentVariableAttribute).FullName!;

    /// <summary>The static field the generator emits in a tool, holding its <c>ToolDefinition</c>.</summary>
    public const string DefinitionFieldName = "VolumeGenDefinition";

    /// <summary>The nested class the generator emits in a tool, holding its typed outputs.</summary>
    public const string OutputsClassName = "VolumeGenOutputs";

    /// <summary>The longest timeout the runtime accepts (its timers take at most about 49.7 days).</summary>
    public const int MaxTimeoutSeconds = 49 * 24 * 60 * 60;

    private ToolDeclarationInspector(INamedTypeSymbol type, AttributeData tool)
    {
        Type = type;
        Tool = tool;
    }

    public INamedTypeSymbol Type { get; }

    public AttributeData Tool { get; }

    public List<DeclarationProblem> Problems { get; } = new();

    public List<DeclaredFile<InputFileKind>> Inputs { get; } = new();

    public List<DeclaredFile<OutputFileKind>> Outputs { get; } = new();

    public List<DeclaredVariable> Variables { get; } = new();

    /// <summary>The Command elements with their placeholders resolved, or null when not set.</summary>
    public List<List<ArgumentPart>>? Command { get; private set; }

    /// <summary>The Entrypoint elements with their placeholders resolved, or null when not set.</summary>
    public List<List<ArgumentPart>>? Entrypoint { get; private set; }

    public string Image => Tool.ConstructorArguments.Length == 1 ? Tool.ConstructorArguments[0].Value as string ?? "" : "";

    /// <summary>The pull policy when the attribute sets one; null leaves it to the runner's options.</summary>
    public ImagePullPolicy? PullPolicy => Named(nameof(ContainerToolAttribute.PullPolicy))?.Value is int policy ? (ImagePullPolicy)policy : null;

    /// <summary>The digest the image must have, or null.</summary>
    public string? ImageDigest => NamedString(nameof(ContainerToolAttribute.ImageDigest));

    public string InputMount => NamedString(nameof(ContainerToolAttribute.InputMount)) ?? ContainerToolAttribute.DefaultInputMount;

    public string OutputMount => NamedString(nameof(ContainerToolAttribute.OutputMount)) ?? ContainerToolAttribute.DefaultOutputMount;

    public int TimeoutSeconds => Named(nameof(ContainerToolAttribute.TimeoutSeconds)) is { Value: int seconds } ? seconds : ContainerToolAttribute.DefaultTimeoutSeconds;

    public bool AllowNonZeroExit => Named(nameof(ContainerToolAttribute.AllowNonZeroExit)) is { Value: true };

    /// <summary>The tool's network; null keeps the runtime's default (none).</summary>
    public string? NetworkMode => NamedString(nameof(ContainerToolAttribute.NetworkMode));

    /// <summary>The memory limit in bytes; 0 keeps the runtime's default.</summary>
    public long MemoryBytes => Named(nameof(ContainerToolAttribute.MemoryBytes))?.Value is long bytes ? bytes : 0;

    /// <summary>The CPU limit; 0 keeps the runtime's default.</summary>
    public double CpuLimit => Named(nameof(ContainerToolAttribute.CpuLimit))?.Value is double cpus ? cpus : 0;

    /// <summary>The process limit; 0 keeps the runtime's default.</summary>
    public long PidsLimit => Named(nameof(ContainerToolAttribute.PidsLimit))?.Value is long pids ? pids : 0;

    public static ToolDeclarationInspector Inspect(INamedTypeSymbol type, AttributeData tool, CancellationToken cancellationToken)
    {
        var inspector = new ToolDeclarationInspector(type, tool);
        inspector.CheckTypeShape(cancellationToken);
        inspector.CheckConfiguration();
        inspector.CheckRunAsyncIsFree();
        inspector.CheckGeneratedNamesAreFree();
        inspector.CheckGlobalNamespacesAreFree();
        inspector.CollectFiles(cancellationToken);
        inspector.Command = inspector.ResolveArguments(nameof(ContainerToolAttribute.Command));
        inspector.Entrypoint = inspector.ResolveArguments(nameof(ContainerToolAttribute.Entrypoint));
        return inspector;
    }

    public TypedConstant? Named(string name)
    {
        foreach (var argument in Tool.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    public string? NamedString(string name) => Named(name)?.Value as string;

    /// <summary>The string elements of a named array argument, or null when it is not set.</summary>
    public IReadOnlyList<string>? NamedStrings(string name) =>
        Named(name) is { Kind: TypedConstantKind.Array, IsNull: false } array
            ? array.Values.Select(v => v.Value as string ?? "").ToList()
            : null;

    private void CheckTypeShape(CancellationToken cancellationToken)
    {
        var identifier = IdentifierLocation(Type, cancellationToken);
        // A file-local type cannot have a part in the generated file.
        if (Type.IsStatic || Type.IsFileLocal || Type.TypeParameters.Length > 0 || ContainingTypes().Any(t => t.TypeParameters.Length > 0))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedToolType, identifier, Type.Name));
        }

        foreach (var type in new[] { Type }.Concat(ContainingTypes()))
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration &&
                    !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    Problems.Add(new DeclarationProblem(DiagnosticIds.ToolTypeNotPartial, declaration.Identifier.GetLocation(), type.Name, Type.Name));
                }
            }
        }
    }

    /// <summary>
    /// The generated method's name is taken: the type is named RunAsync (CS0542), or it or a base
    /// class that is not a tool declares a RunAsync that is not a method or has the generated one's
    /// parameters (CS0102/CS0111, or a hiding warning).
    /// </summary>
    private void CheckRunAsyncIsFree()
    {
        if (Type.Name == "RunAsync")
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, IdentifierLocation(Type, CancellationToken.None), Type.Name,
                "a tool type cannot be named RunAsync, the name of the method generated in it"));
            return;
        }

        for (var current = Type; current is not null; current = current.BaseType)
        {
            if (!SymbolEqualityComparer.Default.Equals(current, Type) && FindAttribute(current, ContainerToolAttributeName) is not null)
            {
                break; // a base tool's RunAsync is the one the generated method overrides
            }

            foreach (var member in current.GetMembers("RunAsync"))
            {
                if (member is IMethodSymbol method && !(method.Parameters.Length == 2
                    && method.Parameters[0].Type.ToDisplayString() == "VolumeGen.ToolRunContext"
                    && method.Parameters[1].Type.ToDisplayString() == "System.Threading.CancellationToken"))
                {
                    continue; // an overload with other parameters is fine
                }

                Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration,
                    member.Locations.FirstOrDefault(l => l.IsInSource) ?? IdentifierLocation(Type, CancellationToken.None), Type.Name,
                    $"'{current.Name}' declares a member named RunAsync, the name of the generated method; rename it"));
            }
        }
    }

    /// <summary>
    /// A generated member's name is taken (the definition field, or the outputs class): by the type
    /// itself (CS0542), by a member of the type (CS0102), or by a member of a base class it can see
    /// (the member would hide it: CS0108). A base tool's own generated members are private, so they never clash.
    /// </summary>
    private void CheckGeneratedNamesAreFree()
    {
        foreach (var (name, what) in new[] { (DefinitionFieldName, "field"), (OutputsClassName, "class") })
        {
            ISymbol? clash = Type.Name == name ? Type : null;
            for (var current = Type; clash is null && current is not null; current = current.BaseType)
            {
                clash = current.GetMembers(name).FirstOrDefault(m =>
                    SymbolEqualityComparer.Default.Equals(current, Type) || m.DeclaredAccessibility != Accessibility.Private);
            }

            if (clash is not null)
            {
                Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration,
                    clash.Locations.FirstOrDefault(l => l.IsInSource) ?? IdentifierLocation(Type, CancellationToken.None), Type.Name,
                    $"'{name}' is the name of the {what} generated in it, and '{clash.ContainingType?.Name ?? clash.Name}' already uses it; rename that member"));
            }
        }
    }

    /// <summary>
    /// A type named System, VolumeGen or Microsoft in the global namespace takes the place of the
    /// namespace the generated code names (<c>global::System...</c>), so nothing it emits would bind.
    /// </summary>
    private void CheckGlobalNamespacesAreFree()
    {
        foreach (var name in new[] { "System", "VolumeGen", "Microsoft" })
        {
            if (Type.ContainingAssembly.GlobalNamespace.GetTypeMembers(name).FirstOrDefault() is { } hiding)
            {
                Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, IdentifierLocation(Type, CancellationToken.None), Type.Name,
                    $"the global namespace has a type named '{hiding.Name}', which takes the place of the namespace global::{name} that the generated code uses; move that type into a namespace"));
            }
        }

        // A namespace VolumeGen.X of the project, where the runtime has a type VolumeGen.X, hides that type
        // from the generated code's global::VolumeGen.X (CS0435, CS0118).
        var own = Type.ContainingAssembly.GlobalNamespace.GetNamespaceMembers().FirstOrDefault(n => n.Name == "VolumeGen");
        var runtime = Type.ContainingModule.ReferencedAssemblySymbols.FirstOrDefault(a => a.Name == "VolumeGen")?
            .GlobalNamespace.GetNamespaceMembers().FirstOrDefault(n => n.Name == "VolumeGen");
        if (own is null || runtime is null)
        {
            return;
        }

        foreach (var hiding in own.GetNamespaceMembers().Where(ns => runtime.GetTypeMembers(ns.Name).Any(t => t.DeclaredAccessibility == Accessibility.Public)))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, IdentifierLocation(Type, CancellationToken.None), Type.Name,
                $"the project declares a namespace VolumeGen.{hiding.Name}, which hides VolumeGen's type of that name from the generated code; rename the namespace"));
        }
    }

    /// <summary>The generated code implements <c>IContainerTool</c>'s static abstract member, so C# 11 at least.</summary>
    public const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp11;

    private void CheckConfiguration()
    {
        var attribute = AttributeLocation(Tool);
        if (Tool.ApplicationSyntaxReference?.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: var version } && version < MinimumLanguageVersion)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, attribute, Type.Name,
                $"the project compiles C# {version.ToDisplayString()}, and the generated code needs C# {MinimumLanguageVersion.ToDisplayString()} or later (set LangVersion)"));
        }

        if (string.IsNullOrWhiteSpace(Image))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, attribute, Type.Name, "the image is empty"));
        }
        else if (ImageReferenceRules.GetProblem(Image) is { } imageProblem)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, attribute, Type.Name, $"the image '{Image}' is not an image reference: {imageProblem}"));
        }

        if (ImageDigest is { } digest && ImageReferenceRules.GetDigestProblem(digest) is { } digestProblem)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, NamedArgumentLocation(nameof(ContainerToolAttribute.ImageDigest)) ?? attribute, Type.Name,
                $"ImageDigest '{digest}' is not a digest: {digestProblem}"));
        }

        if (PullPolicy is { } policy && !System.Enum.IsDefined(typeof(ImagePullPolicy), policy))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, NamedArgumentLocation(nameof(ContainerToolAttribute.PullPolicy)) ?? attribute, Type.Name,
                $"PullPolicy {(int)policy} is not an ImagePullPolicy value"));
        }

        if (TimeoutSeconds <= 0)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, NamedArgumentLocation(nameof(ContainerToolAttribute.TimeoutSeconds)) ?? attribute, Type.Name, "TimeoutSeconds must be positive"));
        }
        else if (TimeoutSeconds > MaxTimeoutSeconds)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, NamedArgumentLocation(nameof(ContainerToolAttribute.TimeoutSeconds)) ?? attribute, Type.Name,
                $"TimeoutSeconds must be at most {MaxTimeoutSeconds} (49 days: a timer cannot wait longer, so every run would fail)"));
        }

        // 0 keeps the runtime's default; a negative value would switch the limit off on the engine.
        foreach (var (setting, valid) in new[] { (nameof(ContainerToolAttribute.MemoryBytes), MemoryBytes >= 0), (nameof(ContainerToolAttribute.PidsLimit), PidsLimit >= 0), (nameof(ContainerToolAttribute.CpuLimit), CpuLimit is >= 0 and <= 1024) })
        {
            if (!valid)
            {
                Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, NamedArgumentLocation(setting) ?? attribute, Type.Name,
                    $"{setting} must be positive (or 0 for the default); a negative or absurd limit would switch it off"));
            }
        }

        if (NetworkMode is { } network && string.IsNullOrWhiteSpace(network))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, NamedArgumentLocation(nameof(ContainerToolAttribute.NetworkMode)) ?? attribute, Type.Name,
                "NetworkMode is empty (the engine would use its default bridge); leave it out for none, or name the network"));
        }

        foreach (var (mount, value) in new[] { (nameof(ContainerToolAttribute.InputMount), InputMount), (nameof(ContainerToolAttribute.OutputMount), OutputMount) })
        {
            if ((VolumePathRules.GetMountTargetProblem(value) ?? VolumePathRules.GetReservedMountProblem(value)) is { } problem)
            {
                Problems.Add(new DeclarationProblem(DiagnosticIds.UnsafeFilePath, NamedArgumentLocation(mount) ?? attribute, value, problem));
            }
        }

        if (VolumePathRules.AreNested(InputMount, OutputMount))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, NamedArgumentLocation(nameof(ContainerToolAttribute.OutputMount)) ?? attribute, Type.Name,
                "InputMount and OutputMount are the same path or one is inside the other; inputs are read-only and outputs need their own volume"));
        }
    }

    /// <summary>
    /// True when a base class is a [ContainerTool] too: its generated <c>RunAsync</c> is virtual, and
    /// this one overrides it (the derived tool runs, with the base's files and its own, whatever the
    /// static type of the reference it is called through).
    /// </summary>
    public bool OverridesBaseTool
    {
        get
        {
            for (var current = Type.BaseType; current is not null; current = current.BaseType)
            {
                if (FindAttribute(current, ContainerToolAttributeName) is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The type's own file properties, then those it inherits from its base classes (nearest first)
    /// under a name it does not declare again: a property the type overrides or hides (<c>new</c>)
    /// is the type's own. An override without a file attribute keeps the one of the property it
    /// overrides. Files are listed base first.
    /// </summary>
    private void CollectFiles(CancellationToken cancellationToken)
    {
        var declared = new HashSet<string>();
        var chain = new List<List<(IPropertySymbol Property, AttributeData? Input, AttributeData? Output)>>();
        var variables = new List<List<(IPropertySymbol Property, AttributeData Attribute, bool AlsoAFile)>>();
        for (var current = Type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            var own = new List<(IPropertySymbol, AttributeData?, AttributeData?)>();
            var ownVariables = new List<(IPropertySymbol, AttributeData, bool)>();
            foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (input, output) = FileAttributesOf(property);
                var attributed = input ?? output ?? AttributeOf(property, EnvironmentVariableAttributeName);
                if (attributed is not null && (property.IsIndexer || property.ExplicitInterfaceImplementations.Length > 0))
                {
                    // Neither has a name the generated code could read or assign (this.Item, this.IFace.Prop).
                    Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedFileProperty, PropertyLocation(property), property.Name,
                        property.IsIndexer
                            ? "an indexer has no single value to write or read; declare a property for each file"
                            : "an explicit interface implementation cannot be reached by name from the generated code; declare the attributed property itself and implement the interface through it"));
                    continue;
                }

                if (property.IsIndexer || !declared.Add(property.Name))
                {
                    continue; // declared again by a more derived type: that declaration decides
                }

                if (input is not null || output is not null)
                {
                    own.Add((property, input, output));
                }

                if (AttributeOf(property, EnvironmentVariableAttributeName) is { } variable)
                {
                    ownVariables.Add((property, variable, input is not null || output is not null));
                }
            }

            chain.Insert(0, own);
            variables.Insert(0, ownVariables);
        }

        foreach (var (property, input, output) in chain.SelectMany(files => files))
        {
            CollectFile(property, input, output);
        }

        foreach (var (property, attribute, alsoAFile) in variables.SelectMany(v => v))
        {
            CollectVariable(property, attribute, alsoAFile);
        }
    }

    /// <summary>
    /// <c>{Name}</c> in a Command or Entrypoint element: an [InputFile] or [OutputFile] property becomes
    /// the file's path in the container, a string, int, long or bool property its value at run time.
    /// Anything else named is VG0105 at the argument.
    /// </summary>
    private List<List<ArgumentPart>>? ResolveArguments(string setting)
    {
        if (NamedStrings(setting) is not { } arguments)
        {
            return null;
        }

        var resolved = new List<List<ArgumentPart>>();
        foreach (var argument in arguments)
        {
            var pieces = ArgumentTemplates.Split(argument);
            var parts = new List<ArgumentPart>();
            foreach (var (isPlaceholder, text) in pieces)
            {
                if (!isPlaceholder)
                {
                    parts.Add(new ArgumentPart(ArgumentPartKind.Literal, text, false));
                }
                else if (Inputs.FirstOrDefault(f => f.Property.Name == text) is { } input)
                {
                    parts.Add(new ArgumentPart(ArgumentPartKind.Literal, InputMount.TrimEnd('/') + "/" + input.FileName, false));
                }
                else if (Outputs.FirstOrDefault(f => f.Property.Name == text) is { } output)
                {
                    parts.Add(new ArgumentPart(ArgumentPartKind.Literal, OutputMount.TrimEnd('/') + "/" + output.FileName, false));
                }
                else if (IsScalarProperty(text))
                {
                    parts.Add(new ArgumentPart(ArgumentPartKind.Value, text, pieces.Count == 1));
                }
                else
                {
                    Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, NamedArgumentLocation(setting) ?? AttributeLocation(Tool), Type.Name,
                        $"'{{{text}}}' in {setting} names no [InputFile] or [OutputFile] property and no readable string, int, long or bool property (write {{{{ and }}}} for literal braces)"));
                }
            }

            resolved.Add(MergeLiterals(parts));
        }

        return resolved;
    }

    /// <summary>"--list=" followed by an input's path is one literal.</summary>
    private static List<ArgumentPart> MergeLiterals(List<ArgumentPart> parts)
    {
        var merged = new List<ArgumentPart>();
        foreach (var part in parts)
        {
            if (part.Kind == ArgumentPartKind.Literal && merged.Count > 0 && merged[merged.Count - 1].Kind == ArgumentPartKind.Literal)
            {
                merged[merged.Count - 1] = part with { Text = merged[merged.Count - 1].Text + part.Text };
            }
            else
            {
                merged.Add(part);
            }
        }

        return merged;
    }

    /// <summary>A readable instance property of the tool (or a base) of type string, int, long or bool (or nullable).</summary>
    private bool IsScalarProperty(string name)
    {
        for (var current = Type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault() is { } property)
            {
                var type = property.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : property.Type;
                var readable = property.GetMethod is { } getter && (getter.DeclaredAccessibility != Accessibility.Private || SymbolEqualityComparer.Default.Equals(current, Type));
                return readable && !property.IsStatic && !property.IsIndexer
                    && type.SpecialType is SpecialType.System_String or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean;
            }
        }

        return false;
    }

    /// <summary>The property's own attribute of that kind, or that of the property it overrides.</summary>
    private static AttributeData? AttributeOf(IPropertySymbol property, string attributeName)
    {
        for (var current = property; current is not null; current = current.OverriddenProperty)
        {
            if (FindAttribute(current, attributeName) is { } attribute)
            {
                return attribute;
            }
        }

        return null;
    }

    private void CollectVariable(IPropertySymbol property, AttributeData attribute, bool alsoAFile)
    {
        var name = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
        var secret = attribute.NamedArguments.Any(a => a.Key == nameof(EnvironmentVariableAttribute.Secret) && a.Value.Value is true);
        var underlying = property.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : property.Type;
        VariableKind? kind = underlying.SpecialType switch
        {
            SpecialType.System_String => VariableKind.Text,
            SpecialType.System_Int32 => VariableKind.Int32,
            SpecialType.System_Int64 => VariableKind.Int64,
            SpecialType.System_Boolean => VariableKind.Boolean,
            _ => null,
        };
        if (alsoAFile || kind is null || property.IsStatic || property.IsIndexer || property.GetMethod is null
            || (!SymbolEqualityComparer.Default.Equals(property.ContainingType, Type) && (property.DeclaredAccessibility == Accessibility.Private || property.GetMethod.DeclaredAccessibility == Accessibility.Private)))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedFileProperty, PropertyLocation(property), property.Name,
                "an [EnvironmentVariable] property must be an instance property with a reachable getter, of type string, int, long or bool (or nullable), and not also a file"));
            return;
        }

        if (!VolumePathRules.IsEnvironmentVariableName(name))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, ArgumentLocation(attribute), Type.Name,
                $"'{name}' is not an environment variable name (a letter or '_', then letters, digits or '_')"));
            return;
        }

        if (Variables.FirstOrDefault(v => v.Name == name) is { } first)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, ArgumentLocation(attribute), Type.Name,
                $"the environment variable '{name}' is already set by property '{first.Property.Name}'"));
            return;
        }

        var nullableValue = underlying.SpecialType == SpecialType.System_String || !SymbolEqualityComparer.Default.Equals(underlying, property.Type);
        Variables.Add(new DeclaredVariable(property, name, kind.Value, nullableValue, secret));
    }

    /// <summary>The property's [InputFile]/[OutputFile] (or [OutputDirectory]), or those of the property it overrides.</summary>
    private static (AttributeData? Input, AttributeData? Output) FileAttributesOf(IPropertySymbol property)
    {
        for (var current = property; current is not null; current = current.OverriddenProperty)
        {
            var input = FindAttribute(current, InputFileAttributeName);
            var output = FindAttribute(current, OutputFileAttributeName) ?? FindAttribute(current, OutputDirectoryAttributeName);
            if (input is not null || output is not null)
            {
                return (input, output);
            }
        }

        return (null, null);
    }

    private void CollectFile(IPropertySymbol property, AttributeData? input, AttributeData? output)
    {
        if (input is not null && output is not null)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedFileProperty, PropertyLocation(property), property.Name,
                "a property cannot be both [InputFile] and [OutputFile]"));
            return;
        }

        if (FindAttribute(property, OutputFileAttributeName) is not null && FindAttribute(property, OutputDirectoryAttributeName) is not null)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedFileProperty, PropertyLocation(property), property.Name,
                "a property cannot be both [OutputFile] and [OutputDirectory]"));
            return;
        }

        if (!SymbolEqualityComparer.Default.Equals(property.ContainingType, Type)
            && (property.DeclaredAccessibility == Accessibility.Private
                || (input is not null && property.GetMethod?.DeclaredAccessibility == Accessibility.Private)
                || (output is not null && property.SetMethod?.DeclaredAccessibility == Accessibility.Private)))
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedFileProperty, IdentifierLocation(Type, CancellationToken.None), property.Name,
                $"'{Type.Name}' inherits it from '{property.ContainingType.Name}', where it (or the accessor the tool needs) is private; make it protected"));
            return;
        }

        var attribute = (input ?? output)!;
        var fileName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        if (VolumePathRules.GetFileNameProblem(fileName) is { } nameProblem)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsafeFilePath, ArgumentLocation(attribute), fileName ?? "", nameProblem));
            return;
        }

        if (input is not null)
        {
            AddInput(property, fileName!, input);
        }
        else
        {
            AddOutput(property, fileName!, output!);
        }
    }

    private void AddInput(IPropertySymbol property, string fileName, AttributeData attribute)
    {
        var kind = InputKindOf(property.Type);
        if (kind is null || property.IsStatic || property.IsIndexer || property.GetMethod is null)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedFileProperty, PropertyLocation(property), property.Name,
                "an [InputFile] property must be an instance property with a getter, of type string, byte[], ReadOnlyMemory<byte> or Stream"));
            return;
        }

        if (CheckDuplicate(Inputs, fileName, attribute) && CheckFileAndFolder(Inputs, fileName, property, attribute))
        {
            Inputs.Add(new DeclaredFile<InputFileKind>(property, fileName, kind.Value, optional: false));
        }
    }

    private void AddOutput(IPropertySymbol property, string fileName, AttributeData attribute)
    {
        var optional = attribute.NamedArguments.Any(a => a.Key == nameof(OutputFileAttribute.Optional) && a.Value.Value is true);
        var directory = attribute.AttributeClass?.ToDisplayString() == OutputDirectoryAttributeName;
        var kind = directory ? DirectoryKindOf(property.Type) : OutputKindOf(property.Type);
        var usable = kind == OutputFileKind.Stream
            ? property.GetMethod is not null // the caller's destination: read, never set
            : property.SetMethod is { IsInitOnly: false };
        if (kind is null || property.IsStatic || property.IsIndexer || !usable)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedFileProperty, PropertyLocation(property), property.Name, directory
                ? "an [OutputDirectory] property must be an instance property of type IReadOnlyDictionary<string, string> or IReadOnlyDictionary<string, byte[]> with a (possibly private) setter that is not init-only"
                : "an [OutputFile] property must be an instance property of type string or byte[] with a (possibly private) setter that is not init-only, or a Stream with a getter (the destination the file is copied into)"));
            return;
        }

        if (optional && kind != OutputFileKind.Stream && property.NullableAnnotation == NullableAnnotation.NotAnnotated)
        {
            Problems.Add(new DeclarationProblem(DiagnosticIds.UnsupportedFileProperty, PropertyLocation(property), property.Name, directory
                ? "an optional output folder is null when the folder is missing, so its type must be nullable (IReadOnlyDictionary<...>?)"
                : "an optional output is null when the file is missing, so its type must be nullable (string? or byte[]?)"));
            return;
        }

        if (CheckDuplicate(Outputs, fileName, attribute) && CheckFileAndFolder(Outputs, fileName, property, attribute))
        {
            Outputs.Add(new DeclaredFile<OutputFileKind>(property, fileName, kind.Value, optional));
        }
    }

    private bool CheckDuplicate<TKind>(List<DeclaredFile<TKind>> files, string fileName, AttributeData attribute)
        where TKind : struct
    {
        var first = files.FirstOrDefault(f => f.FileName == fileName);
        if (first is null)
        {
            return true;
        }

        Problems.Add(new DeclarationProblem(DiagnosticIds.DuplicateFileName, ArgumentLocation(attribute), fileName, first.Property.Name));
        return false;
    }

    /// <summary>A path of one volume is a file or a folder, never both: "a" and "a/b" cannot both be files.</summary>
    private bool CheckFileAndFolder<TKind>(List<DeclaredFile<TKind>> files, string fileName, IPropertySymbol property, AttributeData attribute)
        where TKind : struct
    {
        // A file inside an output folder is read twice, which is fine; only a file used as a folder is a contradiction.
        var newIsFolder = attribute.AttributeClass?.ToDisplayString() == OutputDirectoryAttributeName;
        var other = files.FirstOrDefault(f => (f.FileName.StartsWith(fileName + "/", System.StringComparison.Ordinal) && !newIsFolder) ||
            (fileName.StartsWith(f.FileName + "/", System.StringComparison.Ordinal) && !IsFolder(f.Kind)));
        if (other is null)
        {
            return true;
        }

        var (file, owner, folderOf) = other.FileName.Length < fileName.Length ? (other.FileName, other.Property, fileName) : (fileName, property, other.FileName);
        Problems.Add(new DeclarationProblem(DiagnosticIds.InvalidToolConfiguration, ArgumentLocation(attribute), Type.Name,
            $"'{file}' (property '{owner.Name}') is a file and also the folder of '{folderOf}'; a path in a volume is one or the other"));
        return false;
    }

    private static InputFileKind? InputKindOf(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_String)
        {
            return InputFileKind.Text;
        }

        if (IsByteArray(type))
        {
            return InputFileKind.Bytes;
        }

        if (type is INamedTypeSymbol { Name: "ReadOnlyMemory", TypeArguments.Length: 1 } memory &&
            memory.ContainingNamespace.ToDisplayString() == "System" &&
            memory.TypeArguments[0].SpecialType == SpecialType.System_Byte)
        {
            return InputFileKind.Memory;
        }

        return IsStream(type) ? InputFileKind.Stream : null;
    }

    private static bool IsFolder<TKind>(TKind kind)
        where TKind : struct => kind is OutputFileKind.TextDirectory or OutputFileKind.BytesDirectory;

    /// <summary>IReadOnlyDictionary&lt;string, string&gt; or IReadOnlyDictionary&lt;string, byte[]&gt;, exactly.</summary>
    private static OutputFileKind? DirectoryKindOf(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "IReadOnlyDictionary", TypeArguments: [{ SpecialType: SpecialType.System_String }, var value] } dictionary &&
        dictionary.ContainingNamespace.ToDisplayString() == "System.Collections.Generic"
            ? value.SpecialType == SpecialType.System_String ? OutputFileKind.TextDirectory
            : IsByteArray(value) ? OutputFileKind.BytesDirectory
            : null
            : null;

    private static OutputFileKind? OutputKindOf(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_String ? OutputFileKind.Text
        : IsByteArray(type) ? OutputFileKind.Bytes
        : IsStream(type) ? OutputFileKind.Stream
        : null;

    private static bool IsStream(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Stream" && current.ContainingNamespace.ToDisplayString() == "System.IO")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsByteArray(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte };

    private IEnumerable<INamedTypeSymbol> ContainingTypes()
    {
        for (var outer = Type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            yield return outer;
        }
    }

    private static AttributeData? FindAttribute(ISymbol symbol, string fullName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == fullName);

    private static Location? IdentifierLocation(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>()
            .Select(d => d.Identifier.GetLocation()).FirstOrDefault() ?? type.Locations.FirstOrDefault();

    /// <summary>The property's declaration, or the tool type's name when it is inherited from metadata.</summary>
    private Location? PropertyLocation(IPropertySymbol property) =>
        property.Locations.FirstOrDefault(l => l.IsInSource) ?? IdentifierLocation(Type, CancellationToken.None);

    private static Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();

    private Location? ArgumentLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax
            ? syntax.ArgumentList.Arguments[0].GetLocation()
            : AttributeLocation(attribute) ?? IdentifierLocation(Type, CancellationToken.None);

    private Location? NamedArgumentLocation(string name) =>
        Tool.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } list }
            ? list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation()
            : null;
}
