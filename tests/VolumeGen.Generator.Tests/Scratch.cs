using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace VolumeGen.Generator.Tests;

public class Scratch(ITestOutputHelper output)
{
    [Fact]
    public async Task Run()
    {
        var files = Directory.GetFiles(Path.Combine(TestCompilation.RepositoryRoot, "tests", "VolumeGen.Integration.Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")).ToList();
        foreach (var file in files)
        {
            var compilation = TestCompilation.Create("global using System; global using System.Linq; global using System.Collections.Generic; global using System.Threading.Tasks; global using System.IO; global using System.Threading;", File.ReadAllText(file));
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (e, a, d) => output.WriteLine(file + " EXC " + e), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
            var diags = await compilation.WithAnalyzers([new VolumeGen.Analyzers.VolumeCleanupAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
            foreach (var d in diags) output.WriteLine(d.ToString());
        }
    }
}
