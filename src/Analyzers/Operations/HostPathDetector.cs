using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace VolumeGen.Analyzers.Operations;

/// <summary>
/// Decides whether a value is a path on the worker's own filesystem: an absolute constant; a value
/// from the temp/current/base directory APIs, <c>Environment.GetFolderPath</c>, <c>Path.GetFullPath</c>
/// or <c>FileSystemInfo.FullName</c> (absolute by definition); one built from those through
/// Path.Combine/Join, interpolation or concatenation, or the folder of one (<c>Path.GetDirectoryName</c>); a local assigned any of these; or a local or parameter the same body uses as a
/// folder or file on this machine (given to <c>Directory</c>, <c>File</c>, <c>Path.Combine</c>...).
/// The Docker socket is not a host folder in this sense: mounting it is what Docker-in-Docker means.
/// Anything else is "don't know" (null).
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
            return IsAbsolutePath(constant) && !IsDockerSocket(constant) ? $"'{constant}'" : null;
        }

        switch (value)
        {
            case IInvocationOperation invocation when IsTempOrCurrentDirectory(invocation.TargetMethod):
                return $"'{invocation.TargetMethod.ContainingType.Name}.{invocation.TargetMethod.Name}()'";
            case IInvocationOperation { TargetMethod.Name: "GetFullPath" } invocation when KnownTypes.Is(invocation.TargetMethod.ContainingType, types.Path):
                return $"'{invocation.Syntax}'"; // absolute on this machine, whatever it was given
            case IInvocationOperation { TargetMethod.Name: "GetDirectoryName" } invocation
                when KnownTypes.Is(invocation.TargetMethod.ContainingType, types.Path) && invocation.Arguments.Length == 1:
                // The folder of a host path is a host path.
                return Describe(invocation.Arguments[0].Value, depth + 1) is not null ? $"'{invocation.Syntax}'" : null;
            case IInvocationOperation { TargetMethod.Name: "Combine" or "Join" } invocation
                when KnownTypes.Is(invocation.TargetMethod.ContainingType, types.Path):
                // Path.Combine(hostDir, "x") is a host path; so is any argument that is absolute.
                return invocation.Arguments.SelectMany(Flatten).Select(a => Describe(a, depth + 1)).FirstOrDefault(d => d is not null);
            case IPropertyReferenceOperation { Property.Name: "FullName" } property
                when IsFileSystemInfo(property.Property.ContainingType):
                return $"'{property.Syntax}'"; // always an absolute path on this machine
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
                return local.StoredValues().Select(v => Describe(v, depth + 1)).FirstOrDefault(d => d is not null)
                    ?? UsedAsHostPath(local.Local, value);
            case IParameterReferenceOperation parameter:
                return UsedAsHostPath(parameter.Parameter, value);
        }

        return null;
    }

    private static IEnumerable<IOperation> Flatten(IArgumentOperation argument) =>
        argument.Value.WithoutConversions() is IArrayCreationOperation { Initializer: { } init } && argument.IsImplicit is false && argument.ArgumentKind == ArgumentKind.ParamArray
            ? init.ElementValues
            : new[] { argument.Value };

    private bool IsTempOrCurrentDirectory(IMethodSymbol method) =>
        (KnownTypes.Is(method.ContainingType, types.Path) && method.Name is "GetTempPath" or "GetTempFileName")
        || (KnownTypes.Is(method.ContainingType, types.Directory) && method.Name is "CreateTempSubdirectory" or "GetCurrentDirectory")
        || (KnownTypes.Is(method.ContainingType, types.Environment) && method.Name is "GetFolderPath"); // home, app data...: absolute or empty

    private bool IsKnownDirectoryProperty(IPropertySymbol property) =>
        (KnownTypes.Is(property.ContainingType, types.Environment) && property.Name is "CurrentDirectory")
        || (KnownTypes.Is(property.ContainingType, types.AppContext) && property.Name is "BaseDirectory");

    private bool IsFileSystemInfo(INamedTypeSymbol type) =>
        KnownTypes.Is(type, types.FileSystemInfo) || KnownTypes.Is(type, types.DirectoryInfo);

    /// <summary>
    /// The body gives the variable to the file system as a path on this machine: <c>Directory.*</c>,
    /// <c>File.*</c>, <c>new DirectoryInfo/FileInfo(...)</c>, or the first part of <c>Path.Combine/Join</c>.
    /// </summary>
    private string? UsedAsHostPath(ISymbol variable, IOperation use)
    {
        foreach (var argument in use.Root().DescendantsAndSelf().OfType<IArgumentOperation>())
        {
            var referenced = argument.Value.WithoutConversions() switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (!SymbolEqualityComparer.Default.Equals(referenced, variable))
            {
                continue;
            }

            var usedBy = argument.Parent switch
            {
                IInvocationOperation call when KnownTypes.Is(call.TargetMethod.ContainingType, types.Directory) || KnownTypes.Is(call.TargetMethod.ContainingType, types.File) => call.TargetMethod,
                IInvocationOperation call when KnownTypes.Is(call.TargetMethod.ContainingType, types.Path) && call.TargetMethod.Name is "Combine" or "Join" && call.Arguments[0] == argument => call.TargetMethod,
                IObjectCreationOperation { Constructor: { } constructor } when IsFileSystemInfo(constructor.ContainingType) || KnownTypes.Is(constructor.ContainingType, types.FileInfo) => constructor,
                _ => null,
            };
            if (usedBy is not null)
            {
                return $"'{variable.Name}' (a folder or file on this machine: given to {usedBy.ContainingType.Name}.{usedBy.Name})";
            }
        }

        return null;
    }

    /// <summary>The Docker or Podman API socket (mounted on purpose by Docker-in-Docker workers).</summary>
    public static bool IsDockerSocket(string path) =>
        path.EndsWith("/docker.sock", System.StringComparison.Ordinal) || path.EndsWith("/podman.sock", System.StringComparison.Ordinal);

    private static bool IsAbsolutePath(string path) =>
        path.StartsWith("/", System.StringComparison.Ordinal) || path.StartsWith("~", System.StringComparison.Ordinal)
        || (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/')
        || path.StartsWith("\\\\", System.StringComparison.Ordinal);
}
