using System.Reflection;
using System.Text.RegularExpressions;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// The README's code names are the API's: every <c>`Type.Member`</c> whose type is a public runtime
/// type names a member it has, and every name the README writes like a type of ours (an exception,
/// options, an attribute) is one. Names drifted before (<c>stdout</c> for <c>Stdout</c>, a property
/// on the wrong type): this is where such a drift fails.
/// </summary>
public partial class ReadmeNamesTests
{
    private static readonly Type[] PublicTypes = typeof(ContainerToolRunner).Assembly.GetExportedTypes();

    [GeneratedRegex(@"`(?:new )?(?<type>[A-Z][A-Za-z0-9]+)(?:\.(?<member>[A-Z][A-Za-z0-9]+))?(?:\(|`|<|\[| )")]
    private static partial Regex CodeName();

    /// <summary><c>Type.Member</c> anywhere: in inline code and in the code blocks.</summary>
    [GeneratedRegex(@"\b(?<type>[A-Z][A-Za-z0-9]+)\.(?<member>[A-Z][A-Za-z0-9]+)\b")]
    private static partial Regex MemberAccess();

    private static string Readme()
    {
        var root = typeof(ReadmeNamesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        return File.ReadAllText(Path.Combine(root, "README.md"));
    }

    [Fact]
    public void Every_member_the_readme_names_on_a_runtime_type_exists()
    {
        var named = MemberAccess().Matches(Readme())
            .Select(m => (Type: m.Groups["type"].Value, Member: m.Groups["member"].Value)).Distinct().ToList();
        var checkedNames = 0;
        var missing = new List<string>();
        foreach (var (typeName, member) in named)
        {
            // Types of VolumeGen's own: enum values, constants, properties, methods, nested types.
            var types = PublicTypes.Where(t => t.Name == typeName).ToList();
            if (types.Count == 0)
            {
                continue; // another library's type (Docker.DotNet, the BCL), or a file name
            }

            checkedNames++;
            if (!types.Any(t => t.GetMember(member, BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy).Length > 0))
            {
                missing.Add($"{typeName}.{member}");
            }
        }

        Assert.True(checkedNames > 15, $"only {checkedNames} names checked: the pattern no longer finds the README's code names");
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_exception_options_or_attribute_the_readme_names_is_a_type()
    {
        var known = PublicTypes.Select(t => t.Name).ToHashSet();
        var others = new HashSet<string>(StringComparer.Ordinal)
        {
            // Named in the README, not VolumeGen's: the BCL's, Docker.DotNet's, the hosting package's.
            "ArgumentException", "OperationCanceledException", "OptionsValidationException", "DockerApiException", "TimeoutException",
            "FileNotFoundException", "InvalidOperationException", "ObjectDisposedException", "HttpRequestException", "SocketException",
            "VolumeGenOptions", "DockerClientConfiguration", "JsonSerializerOptions", "AuthenticationException",
        };
        var names = CodeName().Matches(Readme()).Select(m => m.Groups["type"].Value)
            .Where(n => n.EndsWith("Exception", StringComparison.Ordinal) || n.EndsWith("Options", StringComparison.Ordinal) || n.EndsWith("Attribute", StringComparison.Ordinal))
            .Distinct();

        Assert.DoesNotContain(names, n => !known.Contains(n) && !others.Contains(n) && !known.Contains(n + "Attribute"));
    }
}
