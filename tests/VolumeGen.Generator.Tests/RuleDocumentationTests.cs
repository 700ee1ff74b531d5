using System.Reflection;
using Microsoft.CodeAnalysis;

namespace VolumeGen.Generator.Tests;

/// <summary>Every rule has a page whose ID and title match its descriptor, and its help link points there.</summary>
public class RuleDocumentationTests
{
    public static TheoryData<string> RuleIds => new(Descriptors().Select(d => d.Id));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Each_rule_has_a_matching_page(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var page = Path.Combine(TestCompilation.RepositoryRoot, "docs", "rules", id + ".md");

        Assert.True(File.Exists(page), $"Rule {id} has no page at {page}");
        Assert.Equal($"# {id}: {descriptor.Title}", File.ReadLines(page).First());
        Assert.Equal($"https://github.com/volumegen/volumegen/blob/main/docs/rules/{id}.md", descriptor.HelpLinkUri);
        Assert.Contains($"| {descriptor.Category} | {descriptor.DefaultSeverity} | {(descriptor.IsEnabledByDefault ? "yes" : "no")} |", File.ReadAllText(page));
    }

    [Fact]
    public void Every_rule_is_tracked_in_the_release_files()
    {
        var root = Path.Combine(TestCompilation.RepositoryRoot, "src", "Analyzers");
        var tracked = File.ReadAllText(Path.Combine(root, "AnalyzerReleases.Shipped.md")) + File.ReadAllText(Path.Combine(root, "AnalyzerReleases.Unshipped.md"));
        // Release tracking writes a rule that is off by default as "Disabled".
        Assert.All(Descriptors(), d => Assert.Contains($"{d.Id} | {d.Category} | {(d.IsEnabledByDefault ? d.DefaultSeverity.ToString() : "Disabled")} |", tracked));
    }

    [Fact]
    public void Every_page_belongs_to_a_rule()
    {
        var pages = Directory.GetFiles(Path.Combine(TestCompilation.RepositoryRoot, "docs", "rules"), "*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(Descriptors().Select(d => d.Id).Order(), pages.Order());
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(VolumeGen.Analyzers.ContainerToolDeclarationAnalyzer).Assembly
            .GetType("VolumeGen.Analyzers.Diagnostics.DiagnosticDescriptors")!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);
}
