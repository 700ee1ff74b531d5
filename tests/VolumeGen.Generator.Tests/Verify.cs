using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace VolumeGen.Generator.Tests;

/// <summary>
/// Analyzer and code-fix tests with <c>{|VGxxxx:...|}</c> markup, compiled offline against .NET 10
/// reference assemblies plus the VolumeGen runtime (and Docker.DotNet, whose models VG0004 checks).
/// </summary>
internal static class Verify
{
    /// <summary>Usings every test source gets, so the snippets read like user code.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Threading.Tasks;
        using VolumeGen;

        """;

    /// <summary>Checks the markup's diagnostics; <paramref name="editorConfig"/> lines go under <c>[*]</c> of the project's .editorconfig.</summary>
    public static Task AnalyzerAsync<TAnalyzer>(string source, string? editorConfig = null, LanguageVersion? languageVersion = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = source };
        Configure(test.TestState);
        if (languageVersion is { } version)
        {
            test.SolutionTransforms.Add((solution, project) =>
                solution.WithProjectParseOptions(project, ((CSharpParseOptions)solution.GetProject(project)!.ParseOptions!).WithLanguageVersion(version)));
        }

        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n\n[*]\n{editorConfig}\n"));
        }

        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        return test.RunAsync();
    }

    public static Task CodeFixAsync<TAnalyzer, TFix>(string source, string fixedSource, int? fixAllIterations = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> { TestCode = source, FixedCode = fixedSource };
        Configure(test.TestState);
        Configure(test.FixedState);
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        if (fixAllIterations is { } iterations)
        {
            test.NumberOfFixAllIterations = iterations;
        }

        return test.RunAsync();
    }

    private static void Configure(SolutionState state) => state.AdditionalReferences.AddRange(TestCompilation.References);
}
