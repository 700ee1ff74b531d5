using System.Linq;
using Microsoft.CodeAnalysis;

namespace VolumeGen.Analyzers.Operations;

/// <summary>The types the volume rules look for, resolved once per compilation.</summary>
internal sealed class KnownTypes
{
    private KnownTypes(Compilation compilation, INamedTypeSymbol volume)
    {
        Volume = volume;
        VolumeFile = compilation.GetTypeByMetadataName("VolumeGen.VolumeFile");
        VolumeMount = compilation.GetTypeByMetadataName("VolumeGen.VolumeMount");
        VolumeCleanup = compilation.GetTypeByMetadataName("VolumeGen.VolumeCleanup");
        ToolRunSpec = compilation.GetTypeByMetadataName("VolumeGen.ToolRunSpec");
        AsyncDisposable = compilation.GetTypeByMetadataName("System.IAsyncDisposable");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        Path = compilation.GetTypeByMetadataName("System.IO.Path");
        Directory = compilation.GetTypeByMetadataName("System.IO.Directory");
        DirectoryInfo = compilation.GetTypeByMetadataName("System.IO.DirectoryInfo");
        File = compilation.GetTypeByMetadataName("System.IO.File");
        FileInfo = compilation.GetTypeByMetadataName("System.IO.FileInfo");
        FileSystemInfo = compilation.GetTypeByMetadataName("System.IO.FileSystemInfo");
        Environment = compilation.GetTypeByMetadataName("System.Environment");
        AppContext = compilation.GetTypeByMetadataName("System.AppContext");
        DockerMount = compilation.GetTypeByMetadataName("Docker.DotNet.Models.Mount");
        DockerHostConfig = compilation.GetTypeByMetadataName("Docker.DotNet.Models.HostConfig");
        ContainerToolAttribute = compilation.GetTypeByMetadataName(VolumeGen.Declarations.ToolDeclarationInspector.ContainerToolAttributeName);
    }

    public INamedTypeSymbol Volume { get; }

    public INamedTypeSymbol? VolumeFile { get; }

    public INamedTypeSymbol? VolumeMount { get; }

    public INamedTypeSymbol? VolumeCleanup { get; }

    public INamedTypeSymbol? ToolRunSpec { get; }

    public INamedTypeSymbol? AsyncDisposable { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? Path { get; }

    public INamedTypeSymbol? Directory { get; }

    public INamedTypeSymbol? DirectoryInfo { get; }

    public INamedTypeSymbol? File { get; }

    public INamedTypeSymbol? FileInfo { get; }

    public INamedTypeSymbol? FileSystemInfo { get; }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? AppContext { get; }

    public INamedTypeSymbol? DockerMount { get; }

    public INamedTypeSymbol? DockerHostConfig { get; }

    public INamedTypeSymbol? ContainerToolAttribute { get; }

    /// <summary>Null when the compilation does not reference VolumeGen: then no rule has anything to check.</summary>
    public static KnownTypes? From(Compilation compilation) =>
        compilation.GetTypeByMetadataName("VolumeGen.IsolatedContainerVolume") is { } volume ? new KnownTypes(compilation, volume) : null;

    public bool IsVolume(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, Volume);

    /// <summary><c>VolumeCleanup.CleanupAsync(failure, volumes...)</c>: removes every volume it is given.</summary>
    public bool IsVolumeCleanupHelper(IMethodSymbol method) => method.Name == "CleanupAsync" && Is(method.ContainingType, VolumeCleanup);

    /// <summary>
    /// <c>disposable.ConfigureAwait(false)</c> on an <c>IAsyncDisposable</c> (<c>TaskAsyncEnumerableExtensions</c>):
    /// the configured disposable it returns disposes that very object, which is how <c>await using</c>
    /// is written where CA2007 asks for ConfigureAwait.
    /// </summary>
    public static bool IsConfiguredAsyncDisposable(IMethodSymbol method) =>
        method is { Name: "ConfigureAwait", IsExtensionMethod: true }
        && method.Parameters.Length > 0 && method.Parameters[0].Type is { Name: "IAsyncDisposable", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>
    /// A type <c>using</c> or <c>await using</c> disposes: <c>IDisposable</c>, <c>IAsyncDisposable</c>, or
    /// (pattern-based) a parameterless instance <c>DisposeAsync</c> method.
    /// </summary>
    public bool IsDisposable(ITypeSymbol? type) =>
        type is not null
        && (type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable || Is(i, AsyncDisposable))
            || type.GetMembers("DisposeAsync").OfType<IMethodSymbol>().Any(m => m is { IsStatic: false, Parameters.Length: 0 }));

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
