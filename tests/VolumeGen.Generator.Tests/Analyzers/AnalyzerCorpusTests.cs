using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using VolumeGen.Analyzers;
using Xunit.Abstractions;

namespace VolumeGen.Generator.Tests.Analyzers;

/// <summary>
/// Precision and recall of VG0001-VG0004 on the corpus in tests/AnalyzerCorpus: code in the shapes
/// people write, with the ground truth marked as <c>{|VGxxxx:...|}</c> (what really is a leak, an
/// input mounted read-write, an unsafe path, a host bind), including shapes the rules are known to
/// get wrong. The report (scripts/analyzer-corpus.sh prints it) lists every miss; the test fails
/// when a rule falls below the figures it had when this corpus was written.
/// </summary>
public partial class AnalyzerCorpusTests(ITestOutputHelper output)
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Rules =
        [new VolumeCleanupAnalyzer(), new ReadWriteInputMountAnalyzer(), new UnsafeFilePathAnalyzer(), new HostBindMountAnalyzer()];

    /// <summary>Which file holds the cases of which rule.</summary>
    private static readonly Dictionary<string, string> RuleOfFile = new()
    {
        ["Cleanup.cs"] = "VG0001", ["Mounts.cs"] = "VG0002", ["Paths.cs"] = "VG0003", ["Binds.cs"] = "VG0004",
    };

    /// <summary>The floor: precision and recall each rule had on this corpus (a drop fails the test).</summary>
    private static readonly Dictionary<string, (double Precision, double Recall)> Floor = new()
    {
        ["VG0001"] = (0.95, 0.93), ["VG0002"] = (1.0, 0.93), ["VG0003"] = (1.0, 0.92), ["VG0004"] = (1.0, 0.95),
    };

    [GeneratedRegex(@"\{\|(VG\d{4}):")]
    private static partial Regex MarkupStart();

    [Fact]
    public async Task The_rules_keep_their_precision_and_recall_on_the_corpus()
    {
        var directory = Path.Combine(TestCompilation.RepositoryRoot, "tests", "AnalyzerCorpus");
        var expected = new List<(string Id, string File, TextSpan Span)>();
        var trees = new List<SyntaxTree>();
        foreach (var path in Directory.GetFiles(directory, "*.cs").Order(StringComparer.Ordinal))
        {
            var (source, marks) = StripMarkup(File.ReadAllText(path));
            var file = Path.GetFileName(path);
            trees.Add(CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions.WithLanguageVersion(LanguageVersion.Latest), path: file));
            expected.AddRange(marks.Select(m => (m.Id, file, m.Span)));
        }

        var compilation = CSharpCompilation.Create("Corpus", trees, TestCompilation.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var actual = (await compilation.WithAnalyzers(Rules).GetAnalyzerDiagnosticsAsync())
            .Select(d => (d.Id, File: d.Location.SourceTree!.FilePath, Span: d.Location.SourceSpan)).ToList();

        var report = new StringBuilder("| Rule | Cases | Marked | True positives | False positives | False negatives | Precision | Recall |\n|---|---|---|---|---|---|---|---|\n");
        var misses = new StringBuilder();
        var cases = 0;
        var figures = new Dictionary<string, (double Precision, double Recall)>();
        foreach (var rule in Floor.Keys)
        {
            var file = RuleOfFile.Single(r => r.Value == rule).Key;
            var caseCount = trees.Single(t => t.FilePath == file).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
                .Count(m => m.Modifiers.Any(SyntaxKind.PublicKeyword));
            cases += caseCount;
            var wanted = expected.Where(e => e.Id == rule).ToList();
            var got = actual.Where(a => a.Id == rule).ToList();
            var truePositives = wanted.Count(w => got.Any(g => Same(g, w)));
            var falsePositives = got.Where(g => !wanted.Any(w => Same(g, w))).ToList();
            var falseNegatives = wanted.Where(w => !got.Any(g => Same(g, w))).ToList();
            var precision = got.Count == 0 ? 1.0 : (double)truePositives / got.Count;
            var recall = wanted.Count == 0 ? 1.0 : (double)truePositives / wanted.Count;
            figures[rule] = (precision, recall);
            report.Append($"| {rule} | {caseCount} | {wanted.Count} | {truePositives} | {falsePositives.Count} | {falseNegatives.Count} | {precision:0.000} | {recall:0.000} |\n");
            foreach (var (kind, miss) in falsePositives.Select(m => ("false positive", m)).Concat(falseNegatives.Select(m => ("false negative", m))))
            {
                misses.Append($"- {rule} {kind} in {miss.File} `{Member(trees, miss.File, miss.Span)}`\n");
            }

        }

        var text = $"{report}\n{cases} cases in all.\n\nMisses (each a shape the rule page lists as not decided):\n{misses}";
        output.WriteLine(text);
        var artifacts = Path.Combine(TestCompilation.RepositoryRoot, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "analyzer-corpus.md"), text);
        Assert.True(cases >= 198, $"only {cases} cases");
        Assert.All(Floor, floor => Assert.True(figures[floor.Key].Precision >= floor.Value.Precision && figures[floor.Key].Recall >= floor.Value.Recall, text));
    }

    private static bool Same((string Id, string File, TextSpan Span) actual, (string Id, string File, TextSpan Span) expected) =>
        actual.File == expected.File && actual.Span.Start == expected.Span.Start;

    /// <summary>The method a span lies in, for the report.</summary>
    private static string Member(List<SyntaxTree> trees, string file, TextSpan span) =>
        trees.Single(t => t.FilePath == file).GetRoot().FindNode(span).AncestorsAndSelf().OfType<MemberDeclarationSyntax>()
            .Select(m => m switch { MethodDeclarationSyntax method => method.Identifier.ValueText, _ => m.Kind().ToString() }).First();

    /// <summary>The source without <c>{|ID:</c> and <c>|}</c>, and the span each pair marked.</summary>
    private static (string Source, List<(string Id, TextSpan Span)> Marks) StripMarkup(string text)
    {
        var marks = new List<(string Id, TextSpan Span)>();
        var source = new StringBuilder();
        var position = 0;
        foreach (Match start in MarkupStart().Matches(text))
        {
            source.Append(text, position, start.Index - position);
            var end = text.IndexOf("|}", start.Index + start.Length, StringComparison.Ordinal);
            var inner = text[(start.Index + start.Length)..end];
            marks.Add((start.Groups[1].Value, new TextSpan(source.Length, inner.Length)));
            source.Append(inner);
            position = end + 2;
        }

        source.Append(text, position, text.Length - position);
        return (source.ToString(), marks);
    }
}
