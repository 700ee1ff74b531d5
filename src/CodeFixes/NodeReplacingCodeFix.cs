using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace VolumeGen.CodeFixes;

/// <summary>
/// A fix that replaces the syntax node of type <typeparamref name="TNode"/> around a diagnostic with
/// a rewritten one; Fix All batches the replacements.
/// </summary>
public abstract class NodeReplacingCodeFix<TNode>(string diagnosticId, string title) : CodeFixProvider
    where TNode : SyntaxNode
{
    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(diagnosticId);

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } reported
                || reported.FirstAncestorOrSelf<TNode>() is not { } node
                || model is null
                || !CanFix(node, reported, model))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(node, Fix(node)))), equivalenceKey: title),
                diagnostic);
        }
    }

    /// <summary>
    /// Whether the rewritten <paramref name="node"/> (around the <paramref name="reported"/> one) still
    /// compiles and means what the fix says: the fix is not offered otherwise.
    /// </summary>
    protected virtual bool CanFix(TNode node, SyntaxNode reported, SemanticModel model) => true;

    /// <summary>The rewritten node.</summary>
    protected abstract SyntaxNode Fix(TNode node);
}
