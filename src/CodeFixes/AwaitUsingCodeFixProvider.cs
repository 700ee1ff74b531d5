using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Diagnostics;

namespace VolumeGen.CodeFixes;

/// <summary>VG0001: turns <c>var v = new IsolatedContainerVolume(...);</c> into <c>await using var v = ...;</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitUsingCodeFixProvider)), Shared]
public sealed class AwaitUsingCodeFixProvider : CodeFixProvider
{
    private const string Title = "Declare the volume with 'await using'";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.VolumeNotCleanedUp);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node ||
                node.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { } declaration ||
                !CanAwait(declaration) || declaration.UsingKeyword != default)
            {
                continue; // only a plain local declaration in an async body can become 'await using'
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => FixAsync(context.Document, declaration, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, LocalDeclarationStatementSyntax declaration, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var fixedDeclaration = declaration
            .WithoutLeadingTrivia()
            .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithLeadingTrivia(declaration.GetLeadingTrivia());
        return document.WithSyntaxRoot(root!.ReplaceNode(declaration, fixedDeclaration));
    }

    private static bool CanAwait(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword != default;
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case GlobalStatementSyntax:
                    return true; // top-level statements may await
            }
        }

        return false;
    }
}
