// Usage: VolumeGen.IdeFixCheck <consumer.csproj> <diagnostic id>
// Exit 0 when the package's fix for the diagnostic is found among the project's analyzer references,
// applies, and leaves a project that compiles without errors and without that diagnostic.
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

var (projectPath, id) = (args[0], args[1]);
using var workspace = MSBuildWorkspace.Create();
var project = await workspace.OpenProjectAsync(projectPath);
foreach (var problem in workspace.Diagnostics.Where(d => d.Kind == WorkspaceDiagnosticKind.Failure))
{
    Console.Error.WriteLine($"ide: workspace: {problem.Message}");
}

// What an IDE loads from the package: analyzers, and code-fix providers from the same assemblies.
var references = project.AnalyzerReferences.OfType<AnalyzerFileReference>().ToList();
var analyzers = references.SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp)).ToImmutableArray();
var fixers = references.Select(r => r.GetAssembly()).SelectMany(a => a.GetTypes())
    .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
    .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
    .Where(f => f.FixableDiagnosticIds.Contains(id))
    .ToList();
Console.WriteLine($"ide: {references.Count} analyzer references, {analyzers.Length} analyzers, {fixers.Count} fix(es) for {id}");
if (fixers.Count == 0)
{
    return Fail($"no code-fix provider for {id} in the project's analyzer references");
}

var reported = await DiagnosticsAsync(project);
if (reported.FirstOrDefault(d => d.Id == id) is not { } diagnostic)
{
    return Fail($"{id} is not reported before the fix: {string.Join(", ", reported.Select(d => d.Id))}");
}

var document = project.GetDocument(diagnostic.Location.SourceTree) ?? throw new InvalidOperationException("no document for the diagnostic");
var actions = new List<CodeAction>();
foreach (var fixer in fixers)
{
    await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
}

if (actions.Count == 0)
{
    return Fail($"no fix offered for {diagnostic}");
}

var changed = (await actions[0].GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution;
var fixedProject = changed.GetProject(project.Id)!;
var fixedText = (await fixedProject.GetDocument(document.Id)!.GetTextAsync()).ToString();
var compilation = (await fixedProject.GetCompilationAsync())!;
var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
var remaining = (await DiagnosticsAsync(fixedProject)).Where(d => d.Id == id).ToList();
if (errors.Count > 0 || remaining.Count > 0)
{
    return Fail($"after '{actions[0].Title}':\n{fixedText}\n{string.Join("\n", errors.Concat(remaining))}");
}

Console.WriteLine($"ide: '{actions[0].Title}' fixed {id} in {document.Name}; the project compiles:\n{fixedText}");
return 0;

async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project target)
{
    var compilation = (await target.GetCompilationAsync())!;
    return await compilation.WithAnalyzers(analyzers, target.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
}

static int Fail(string message)
{
    Console.Error.WriteLine($"ide: {message}");
    return 1;
}
