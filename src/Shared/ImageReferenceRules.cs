using System.Text.RegularExpressions;

namespace VolumeGen.Validation;

/// <summary>
/// An image reference split as the docker CLI and the engine split it (distribution's
/// <c>ParseNormalizedNamed</c>): the registry (<c>docker.io</c> when the first part names none), the
/// repository path (<c>library/</c> added for Docker Hub's official images), the tag and the digest.
/// An <see cref="IsImageId"/> reference (<c>sha256:</c> and 64 hex digits) names a local image only.
/// </summary>
internal sealed class ParsedImageReference
{
    public ParsedImageReference(string domain, string path, string? tag, string? digest, bool isImageId)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
        IsImageId = isImageId;
    }

    /// <summary>The registry host, with its port: <c>docker.io</c>, <c>registry.example.com:5000</c>.</summary>
    public string Domain { get; }

    /// <summary>The repository within the registry: <c>library/alpine</c>, <c>tools/dnsx</c>.</summary>
    public string Path { get; }

    /// <summary>The tag, or null (then <c>latest</c> when there is no digest either).</summary>
    public string? Tag { get; }

    /// <summary>The digest the reference pins (<c>sha256:...</c>), or null.</summary>
    public string? Digest { get; }

    /// <summary>The reference is a local image ID, which no registry serves.</summary>
    public bool IsImageId { get; }

    /// <summary>The repository with its registry, as a pull names it: <c>docker.io/library/alpine</c>.</summary>
    public string Repository => Domain + "/" + Path;

    /// <summary>
    /// What a pull asks for: the repository with the digest, else with the tag (<c>latest</c> when none:
    /// a pull without either would fetch every tag of the repository).
    /// </summary>
    public string PullReference => Digest is not null ? Repository + "@" + Digest : Repository + ":" + (Tag ?? "latest");
}

/// <summary>
/// The image reference grammar of distribution (<c>reference/regexp.go</c>) and the engine's
/// normalization, written against netstandard2.0 so the analyzers check an attribute's image with the
/// same rules the runtime checks a spec with.
/// </summary>
internal static class ImageReferenceRules
{
    /// <summary>Docker Hub's registry, as references normalize to it.</summary>
    public const string DefaultDomain = "docker.io";

    /// <summary>The longest repository name (registry included) distribution accepts.</summary>
    public const int MaxNameLength = 255;

    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Domain = "(?:" + DomainComponent + "(?:\\." + DomainComponent + ")*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?";
    private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"; // Go's \w is ASCII; .NET's is not
    private const string Digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    private static readonly Regex ReferencePattern = new(
        "^(?<name>(?:(?<domain>" + Domain + ")/)?" + PathComponent + "(?:/" + PathComponent + ")*)(?::(?<tag>" + Tag + "))?(?:@(?<digest>" + Digest + "))?\\z",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));

    private static readonly Regex ImageIdPattern = new("^sha256:[a-f0-9]{64}\\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex HexOnlyPattern = new("^[a-f0-9]{64}\\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Why <paramref name="reference"/> is not an image reference the engine accepts, or null.</summary>
    public static string? GetProblem(string? reference) => Parse(reference, out _);

    /// <summary>Splits <paramref name="reference"/>; returns why it is not one, or null with <paramref name="parsed"/> set.</summary>
    public static string? Parse(string? reference, out ParsedImageReference? parsed)
    {
        parsed = null;
        if (reference is null || reference.Length == 0)
        {
            return "the image reference is empty";
        }

        if (ImageIdPattern.IsMatch(reference))
        {
            parsed = new ParsedImageReference("", reference, null, reference, isImageId: true);
            return null;
        }

        // The engine reads 64 hex digits alone as an image ID too; distribution refuses them as names.
        if (HexOnlyPattern.IsMatch(reference))
        {
            return "64 hexadecimal digits name an image ID: write it as sha256:" + reference;
        }

        var match = ReferencePattern.Match(reference);
        if (!match.Success)
        {
            return reference.ToLowerInvariant() != reference && ReferencePattern.IsMatch(reference.ToLowerInvariant())
                ? "repository names must be lowercase"
                : "it is not [registry/]repository[:tag][@digest] (lowercase letters, digits and . _ - separators in the repository; a tag of letters, digits, _ . - up to 128 characters)";
        }

        var name = match.Groups["name"].Value;
        if (name.Length > MaxNameLength)
        {
            return "the repository name is longer than " + MaxNameLength + " characters";
        }

        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        if (digest is not null && GetDigestProblem(digest) is { } digestProblem)
        {
            return digestProblem;
        }

        var (domain, path) = SplitDomain(name);
        parsed = new ParsedImageReference(domain, path, match.Groups["tag"].Success ? match.Groups["tag"].Value : null, digest, isImageId: false);
        return null;
    }

    /// <summary>Why <paramref name="digest"/> is not a content digest the engine checks (<c>sha256:</c>, <c>sha384:</c> or <c>sha512:</c> and its hex), or null.</summary>
    public static string? GetDigestProblem(string? digest)
    {
        if (digest is null || digest.Length == 0)
        {
            return "the digest is empty";
        }

        var colon = digest.IndexOf(':');
        var length = colon < 0 ? -1 : digest.Substring(0, colon) switch
        {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => -1,
        };
        if (length < 0)
        {
            return "a digest is sha256:, sha384: or sha512: followed by its hexadecimal value";
        }

        var hex = digest.Substring(colon + 1);
        foreach (var c in hex)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                return "a digest's value is lowercase hexadecimal";
            }
        }

        return hex.Length == length ? null : $"a {digest.Substring(0, colon)} digest has {length} hexadecimal digits, not {hex.Length}";
    }

    /// <summary>
    /// distribution's <c>splitDockerDomain</c>: the first part is a registry when it has a '.' or ':',
    /// is <c>localhost</c>, or has an uppercase letter; else the name is Docker Hub's.
    /// </summary>
    private static (string Domain, string Path) SplitDomain(string name)
    {
        var slash = name.IndexOf('/');
        string domain, path;
        if (slash < 0 || (name.Substring(0, slash).IndexOfAny(['.', ':']) < 0 && name.Substring(0, slash) != "localhost" && name.Substring(0, slash).ToLowerInvariant() == name.Substring(0, slash)))
        {
            (domain, path) = (DefaultDomain, name);
        }
        else
        {
            (domain, path) = (name.Substring(0, slash), name.Substring(slash + 1));
        }

        if (domain == "index.docker.io")
        {
            domain = DefaultDomain;
        }

        return domain == DefaultDomain && path.IndexOf('/') < 0 ? (domain, "library/" + path) : (domain, path);
    }
}
