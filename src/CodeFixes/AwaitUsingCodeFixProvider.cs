using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Diagnostics;

namespace VolumeGen.CodeFixes;

/// <summary>VG0001: turns <c>var v = new IsolatedContainerVolume(...);</c> into <c>await using var v = ...;</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitUsingCodeFixProvider)), Shared]
public sealed class AwaitUsingCodeFixProvider()
    : NodeReplacingCodeFix<LocalDeclarationStatementSyntax>(DiagnosticIds.VolumeNotCleanedUp, "Declare the volume with 'await using'")
{
    /// <summary>Only a plain local declaration in a body that may await can become 'await using'.</summary>
    protected override bool CanFix(LocalDeclarationStatementSyntax declaration) =>
        declaration.UsingKeyword == default && CanAwait(declaration);

    /// <inheritdoc />
    protected override SyntaxNode Fix(LocalDeclarationStatementSyntax declaration) => declaration
        .WithoutLeadingTrivia()
        .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space))
        .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
        .WithLeadingTrivia(declaration.GetLeadingTrivia());

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
