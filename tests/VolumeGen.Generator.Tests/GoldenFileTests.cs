using Microsoft.CodeAnalysis;

namespace VolumeGen.Generator.Tests;

/// <summary>
/// The emitted source, compared with golden files in Baselines/{Case}/{HintName}.txt. Run with
/// VOLUMEGEN_UPDATE_BASELINES=1 to rewrite them after an intended change, then review the diff.
/// Every case also compiles the output with warnings as errors and nullable enabled.
/// </summary>
public class GoldenFileTests
{
    public static TheoryData<string> Cases => new(ToolSources.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Emitted_source_matches_its_baseline_and_compiles_cleanly(string name)
    {
        var (sources, output) = TestCompilation.Run(ToolSources.All[name]);

        Assert.NotEmpty(sources);
        foreach (var generated in sources)
        {
            var baseline = Path.Combine(TestCompilation.RepositoryRoot, "tests", "VolumeGen.Generator.Tests", "Baselines", name, generated.HintName + ".txt");
            var actual = generated.SourceText.ToString();
            if (Environment.GetEnvironmentVariable("VOLUMEGEN_UPDATE_BASELINES") == "1")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(baseline)!);
                File.WriteAllText(baseline, actual);
            }

            Assert.True(File.Exists(baseline), $"Missing baseline {baseline}; run with VOLUMEGEN_UPDATE_BASELINES=1 to create it.");
            Assert.Equal(File.ReadAllText(baseline), actual);
        }

        var baselines = Directory.GetFiles(Path.Combine(TestCompilation.RepositoryRoot, "tests", "VolumeGen.Generator.Tests", "Baselines", name)).Select(Path.GetFileName);
        Assert.Equal(sources.Select(s => s.HintName + ".txt").Order(), baselines.Order());
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_contract_example_gets_the_expected_members()
    {
        var (sources, output) = TestCompilation.Run(ToolSources.All["Contract"]);

        Assert.Equal("Samples.DnsxTool.g.cs", Assert.Single(sources).HintName);
        var runAsync = output.GetTypeByMetadataName("Samples.DnsxTool")!.GetMembers("RunAsync").OfType<IMethodSymbol>().Single();
        Assert.Equal("System.Threading.Tasks.Task<VolumeGen.ToolRunResult>", runAsync.ReturnType.ToDisplayString());
        Assert.Equal(["context", "cancellationToken"], runAsync.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Tools_whose_full_names_differ_only_in_case_both_get_their_code()
    {
        // Hint names are compared ignoring case: one clash used to make the generator drop everything.
        var (sources, output) = TestCompilation.Run("""
            namespace Tools;
            [VolumeGen.ContainerTool("tool:1")] public partial class Scan { [VolumeGen.InputFile("a.txt")] public string A { get; set; } = ""; }
            [VolumeGen.ContainerTool("tool:2")] public partial class scan { [VolumeGen.InputFile("a.txt")] public string A { get; set; } = ""; }
            [VolumeGen.ContainerTool("tool:3")] public partial class Other { [VolumeGen.InputFile("a.txt")] public string A { get; set; } = ""; }
            """);

        Assert.Equal(3, sources.Select(s => s.HintName.ToUpperInvariant()).Distinct().Count());
        Assert.Contains(sources, s => s.HintName == "Tools.Other.g.cs"); // names without a clash keep their form
        Assert.NotNull(output.GetTypeByMetadataName("Tools.scan")!.GetMembers("RunAsync").SingleOrDefault());
        Assert.NotNull(output.GetTypeByMetadataName("Tools.Scan")!.GetMembers("RunAsync").SingleOrDefault());
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("public class NotPartial { [VolumeGen.InputFile(\"a\")] public string A { get; set; } = \"\"; }")]
    [InlineData("public partial class Dup { [VolumeGen.InputFile(\"a\")] public string A { get; set; } = \"\"; [VolumeGen.InputFile(\"a\")] public string B { get; set; } = \"\"; }")]
    [InlineData("public partial class Traversal { [VolumeGen.InputFile(\"../a\")] public string A { get; set; } = \"\"; }")]
    [InlineData("public partial class Both { [VolumeGen.InputFile(\"a\")] [VolumeGen.OutputFile(\"b\")] public string? A { get; set; } }")]
    [InlineData("public partial class Derived : Base { } public class Base { [VolumeGen.InputFile(\"a\")] private string A { get; set; } = \"\"; }")]
    [InlineData("public partial class BadType { [VolumeGen.InputFile(\"a\")] public int A { get; set; } }")]
    public void An_invalid_declaration_generates_nothing(string declaration)
    {
        var driver = TestCompilation.Driver().RunGenerators(TestCompilation.Create($"[VolumeGen.ContainerTool(\"tool:1\")] {declaration}"));
        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
    }
}
