using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace VolumeGen.Analyzers.Operations;

/// <summary>
/// Decides whether a value is a path on the worker's own filesystem: an absolute constant, or a
/// value that comes from the temp/current/base directory APIs, directly, through Path.Combine/Join,
/// string interpolation, or a local initialized that way. Anything else is "don't know" (false).
/// </summary>
internal sealed class HostPathDetector(KnownTypes types)
{
    private const int MaxDepth = 8;

    /// <summary>A readable description of the host path, or null when the value is not known to be one.</summary>
    public string? Describe(IOperation? value, int depth = 0)
    {
        if (value is null || depth > MaxDepth)
        {
            return null;
        }

        value = value.WithoutConversions();
        if (value.ConstantString() is { } constant)
        {
            return IsAbsolutePath(constant) ? $"'{constant}'" : null;
        }

        switch (value)
        {
            case IInvocationOperation invocation when IsTempOrCurrentDirectory(invocation.TargetMethod):
                return $"'{invocation.TargetMethod.ContainingType.Name}.{invocation.TargetMethod.Name}()'";
            case IInvocationOperation { TargetMethod.Name: "Combine" or "Join" or "GetFullPath" } invocation
                when KnownTypes.Is(invocation.TargetMethod.ContainingType, types.Path):
                // Path.Combine(hostDir, "x") is a host path; so is any argument that is absolute.
                return invocation.Arguments.SelectMany(Flatten).Select(a => Describe(a, depth + 1)).FirstOrDefault(d => d is not null);
            case IPropertyReferenceOperation { Property.Name: "FullName" } property
                when IsFileSystemInfo(property.Property.ContainingType):
                return Describe(property.Instance, depth + 1) is not null || property.Instance?.WithoutConversions() is IInvocationOperation
                    ? $"'{property.Syntax}'"
                    : null;
            case IPropertyReferenceOperation property when IsKnownDirectoryProperty(property.Property):
                return $"'{property.Property.ContainingType.Name}.{property.Property.Name}'";
            case IInterpolatedStringOperation interpolated:
                return interpolated.Parts.FirstOrDefault() switch
                {
                    IInterpolatedStringTextOperation text when text.Text.ConstantString() is { } start && IsAbsolutePath(start) => $"'{interpolated.Syntax}'",
                    IInterpolationOperation hole when Describe(hole.Expression, depth + 1) is not null => $"'{interpolated.Syntax}'",
                    _ => null,
                };
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                return Describe(concatenation.LeftOperand, depth + 1) is not null ? $"'{concatenation.Syntax}'" : null;
            case ILocalReferenceOperation local:
                return Describe(InitializerOf(local, value), depth + 1);
        }

        return null;
    }

    private static System.Collections.Generic.IEnumerable<IOperation> Flatten(IArgumentOperation argument) =>
        argument.Value.WithoutConversions() is IArrayCreationOperation { Initializer: { } init } && argument.IsImplicit is false && argument.ArgumentKind == ArgumentKind.ParamArray
            ? init.ElementValues
            : new[] { argument.Value };

    private bool IsTempOrCurrentDirectory(IMethodSymbol method) =>
        (KnownTypes.Is(method.ContainingType, types.Path) && method.Name is "GetTempPath" or "GetTempFileName")
        || (KnownTypes.Is(method.ContainingType, types.Directory) && method.Name is "CreateTempSubdirectory" or "GetCurrentDirectory");

    private bool IsKnownDirectoryProperty(IPropertySymbol property) =>
        (KnownTypes.Is(property.ContainingType, types.Environment) && property.Name is "CurrentDirectory")
        || (KnownTypes.Is(property.ContainingType, types.AppContext) && property.Name is "BaseDirectory");

    private bool IsFileSystemInfo(INamedTypeSymbol type) =>
        KnownTypes.Is(type, types.FileSystemInfo) || KnownTypes.Is(type, types.DirectoryInfo);

    /// <summary>The initializer of a local declared in the same body (its value at declaration).</summary>
    private static IOperation? InitializerOf(ILocalReferenceOperation local, IOperation use)
    {
        var declarator = local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as VariableDeclaratorSyntax;
        if (declarator?.Initializer is null)
        {
            return null;
        }

        return use.Root().DescendantsAndSelf()
            .OfType<IVariableDeclaratorOperation>()
            .FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local.Local))?.Initializer?.Value;
    }

    private static bool IsAbsolutePath(string path) =>
        path.StartsWith("/", System.StringComparison.Ordinal) || path.StartsWith("~", System.StringComparison.Ordinal)
        || (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/')
        || path.StartsWith("\\\\", System.StringComparison.Ordinal);
}
