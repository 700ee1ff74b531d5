using System;
using System.Globalization;
using System.Linq;
using VolumeGen.Generator.Models;

namespace VolumeGen.Generator.Emit;

/// <summary>
/// Roslyn compares hint names ignoring case (they become file names), and one duplicate makes the
/// generator fail as a whole: every tool would lose its code. Names that collide that way get a
/// stable suffix from their exact spelling; all others stay <c>Namespace.Type.g.cs</c>.
/// </summary>
internal static class HintNames
{
    public static string UniqueIgnoringCase(string hintName, EquatableArray<string> all)
    {
        var collides = all.Any(other => other != hintName && string.Equals(other, hintName, StringComparison.OrdinalIgnoreCase));
        return collides
            ? hintName.Substring(0, hintName.Length - ".g.cs".Length) + "." + Fnv1a(hintName).ToString("x8", CultureInfo.InvariantCulture) + ".g.cs"
            : hintName;
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across runs and platforms (string.GetHashCode is not).</summary>
    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
