using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Diagnostics;

namespace VolumeGen.CodeFixes;

/// <summary>VG0002: mounts the input volume read-only (<c>false</c> becomes <c>true</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReadOnlyMountCodeFixProvider)), Shared]
public sealed class ReadOnlyMountCodeFixProvider()
    : NodeReplacingCodeFix<ArgumentSyntax>(DiagnosticIds.InputVolumeMountedReadWrite, "Mount the volume read-only")
{
    /// <inheritdoc />
    protected override SyntaxNode Fix(ArgumentSyntax argument) =>
        argument.WithExpression(SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(argument.Expression));
}
