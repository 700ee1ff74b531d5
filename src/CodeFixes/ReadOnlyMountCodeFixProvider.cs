using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Diagnostics;

namespace VolumeGen.CodeFixes;

/// <summary>
/// VG0002: mounts the input volume read-only: the reported <c>false</c> (an argument, or
/// <c>ReadOnly = false</c> in an initializer or <c>with</c>) becomes <c>true</c>. Not offered where
/// the rule reports something else (a Docker.DotNet <c>Mount</c> without <c>ReadOnly</c>, a bind string).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReadOnlyMountCodeFixProvider)), Shared]
public sealed class ReadOnlyMountCodeFixProvider()
    : NodeReplacingCodeFix<LiteralExpressionSyntax>(DiagnosticIds.InputVolumeMountedReadWrite, "Mount the volume read-only")
{
    /// <inheritdoc />
    protected override bool CanFix(LiteralExpressionSyntax literal, SyntaxNode reported, SemanticModel model) =>
        literal == reported && literal.IsKind(SyntaxKind.FalseLiteralExpression);

    /// <inheritdoc />
    protected override SyntaxNode Fix(LiteralExpressionSyntax literal) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(literal);
}
