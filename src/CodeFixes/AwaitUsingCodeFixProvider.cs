using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VolumeGen.Diagnostics;

namespace VolumeGen.CodeFixes;

/// <summary>
/// VG0001: turns <c>var v = new IsolatedContainerVolume(...);</c> into <c>await using var v = ...;</c>.
/// Offered only where that compiles and keeps the volume's meaning: the reported creation is the
/// variable's whole initializer (not <c>new ...(...).GetVolumeConfig(...)</c>, not one arm of a
/// <c>?:</c>), no variable of the declaration is ever assigned again (CS1656) nor returned or stored
/// (disposing a volume someone else owns; 'await using' takes every variable of a declaration), the declaration is not directly in a <c>case</c> section (CS8647) nor
/// in a <c>lock</c>, and the body may await (C# 8 or later).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitUsingCodeFixProvider)), Shared]
public sealed class AwaitUsingCodeFixProvider()
    : NodeReplacingCodeFix<LocalDeclarationStatementSyntax>(DiagnosticIds.VolumeNotCleanedUp, "Declare the volume with 'await using'")
{
    /// <inheritdoc />
    protected override bool CanFix(LocalDeclarationStatementSyntax declaration, SyntaxNode reported, SemanticModel model)
    {
        if (declaration.UsingKeyword != default
            || declaration.Parent is SwitchSectionSyntax
            || ((CSharpParseOptions)declaration.SyntaxTree.Options).LanguageVersion < LanguageVersion.CSharp8
            || !CanAwait(declaration))
        {
            return false;
        }

        // 'await using' applies to every variable of the declaration: each one must be disposable here
        // (in 'a = new(..), b = new(..); return b;' disposing b would hand the caller a removed volume).
        var variables = declaration.Declaration.Variables;
        return variables.Any(v => v.Initializer is { } initializer && Unwrap(initializer.Value) == reported)
            && declaration.Parent is { } scope
            && variables.All(declarator => model.GetDeclaredSymbol(declarator) is ILocalSymbol local
                && local.Type.AllInterfaces.Concat([local.Type]).Any(t => t.ToDisplayString() == "System.IAsyncDisposable")
                && !scope.DescendantNodes().OfType<IdentifierNameSyntax>().Any(name => name.Identifier.ValueText == local.Name && IsWriteOrEscape(name)));
    }

    /// <inheritdoc />
    protected override SyntaxNode Fix(LocalDeclarationStatementSyntax declaration) => declaration
        .WithoutLeadingTrivia()
        .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space))
        .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
        .WithLeadingTrivia(declaration.GetLeadingTrivia());

    private static SyntaxNode Unwrap(ExpressionSyntax expression) => expression switch
    {
        ParenthesizedExpressionSyntax parenthesized => Unwrap(parenthesized.Expression),
        CastExpressionSyntax cast => Unwrap(cast.Expression),
        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang => Unwrap(bang.Operand),
        _ => expression,
    };

    /// <summary>
    /// A use that a using variable cannot have (assigned, incremented, passed by ref or out) or that
    /// hands the volume to someone else (returned, stored, put in a collection literal, captured into
    /// another variable), after which disposing it here would be wrong.
    /// </summary>
    private static bool IsWriteOrEscape(IdentifierNameSyntax name)
    {
        SyntaxNode node = name;
        while (node.Parent is ParenthesizedExpressionSyntax or CastExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node || assignment.Right == node,
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => true,
            ArgumentSyntax argument => argument.RefKindKeyword != default,
            ReturnStatementSyntax or YieldStatementSyntax or ArrowExpressionClauseSyntax => true,
            EqualsValueClauseSyntax or InitializerExpressionSyntax or CollectionElementSyntax or TupleExpressionSyntax => true,
            AnonymousObjectMemberDeclaratorSyntax => true,
            ConditionalExpressionSyntax conditional => conditional.Condition != node,
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression } => true,
            _ => false,
        };
    }

    private static bool CanAwait(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case LockStatementSyntax:
                    return false; // CS1996: no await in a lock
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
