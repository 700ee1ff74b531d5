using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace VolumeGen.Generator.Emit;

/// <summary>Names from the user's code as they must be written in emitted code.</summary>
internal static class Identifier
{
    /// <summary><paramref name="name"/>, '@'-prefixed when it is a keyword (a property named <c>@class</c> is "class").</summary>
    public static string Of(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A dotted namespace with every segment escaped.</summary>
    public static string OfNamespace(string dotted) => string.Join(".", dotted.Split('.').Select(Of));
}
