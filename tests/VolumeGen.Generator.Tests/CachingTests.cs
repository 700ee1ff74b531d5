using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VolumeGen.Generator.Tests;

/// <summary>
/// The pipeline must not redo work for edits that cannot change the output, and must for edits that
/// do. Each test runs the driver, edits the compilation, runs it again and inspects the tracked steps.
/// </summary>
public class CachingTests
{
    private const string Unrelated = "namespace Other; public class Unrelated { public int Value() => 1; }";

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        var result = RunTwice(ToolSources.Contract, compilation => compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Other; public class Added { }", TestCompilation.ParseOptions)));

        AssertAllCachedOrUnchanged(result);
    }

    [Fact]
    public void Editing_a_method_body_in_the_tool_class_changes_nothing_downstream()
    {
        var result = RunTwice(ToolSources.Contract, compilation => Replace(compilation, "public int Helper() => 42;", "public int Helper() => 43 + 1;"));

        AssertAllCachedOrUnchanged(result);
    }

    [Fact]
    public void Editing_an_attribute_argument_regenerates()
    {
        var result = RunTwice(ToolSources.Contract, compilation => Replace(compilation, "\"example/dnsx:1\"", "\"example/dnsx:2\""));

        var steps = result.TrackedSteps[TrackingNames.ValidTools];
        Assert.Contains(steps.SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("example/dnsx:2", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        var result = RunTwice(ToolSources.Contract, compilation => compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Unrelated, TestCompilation.ParseOptions)));

        // Our steps (the driver's own input steps legitimately carry the compilation).
        foreach (var step in result.TrackedSteps.Where(s => s.Key.StartsWith("VolumeGen.", StringComparison.Ordinal)).SelectMany(s => s.Value))
        {
            foreach (var (value, _) in step.Outputs)
            {
                AssertPlainValue(value, step.Name ?? "?");
            }
        }
    }

    private static GeneratorRunResult RunTwice(string source, Func<Compilation, Compilation> edit)
    {
        var compilation = TestCompilation.Create(source, Unrelated);
        var driver = TestCompilation.Driver().RunGenerators(compilation);
        driver = driver.RunGenerators(edit(compilation));
        return driver.GetRunResult().Results.Single();
    }

    private static Compilation Replace(Compilation compilation, string from, string to)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains(from, StringComparison.Ordinal));
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(tree.ToString().Replace(from, to, StringComparison.Ordinal))));
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result)
    {
        Assert.NotEmpty(result.TrackedSteps[TrackingNames.Declarations]);
        foreach (var name in new[] { TrackingNames.Declarations, TrackingNames.ValidTools })
        {
            foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {output.Reason}");
            }
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    private static void AssertPlainValue(object? value, string step)
    {
        switch (value)
        {
            case null or string or bool or int or Enum:
                return;
            case ISymbol or SyntaxNode or Compilation or SemanticModel or Location:
                Assert.Fail($"Step {step} holds a {value.GetType().Name}, which defeats caching.");
                return;
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                {
                    AssertPlainValue(item, step);
                }

                return;
        }

        foreach (var property in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertPlainValue(property.GetValue(value), step);
        }
    }
}
