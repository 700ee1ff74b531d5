using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VolumeGen.Generator;

namespace VolumeGen.Generator.Tests;

/// <summary>Compilations of tool declarations against .NET 10 and the VolumeGen runtime, and driver runs over them.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(IsolatedContainerVolume).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(global::Docker.DotNet.IDockerClient).Assembly.Location),
    ];

    public static string RepositoryRoot { get; } = typeof(TestCompilation).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public static CSharpCompilation Create(params string[] sources) => CSharpCompilation.Create(
        "ToolsUnderTest",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(bool trackSteps = true) => CSharpGeneratorDriver.Create(
        [new ContainerToolGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator and returns the generated sources and the compilation that includes them.</summary>
    public static (ImmutableArray<GeneratedSourceResult> Sources, Compilation Output) Run(params string[] sources)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(Create(sources), out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        return (driver.GetRunResult().Results.Single().GeneratedSources, output);
    }
}
