using VolumeGen.Validation;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// Image references split and refused as distribution's reference package does (its
/// <c>normalize_test.go</c> and <c>reference_test.go</c> cases), and the digests a pin may carry.
/// </summary>
public class ImageReferenceRulesTests
{
    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", null, null, "docker.io/library/alpine:latest")]
    [InlineData("alpine:3.20", "docker.io", "library/alpine", "3.20", null, "docker.io/library/alpine:3.20")]
    [InlineData("projectdiscovery/dnsx:v1.2", "docker.io", "projectdiscovery/dnsx", "v1.2", null, "docker.io/projectdiscovery/dnsx:v1.2")]
    [InlineData("index.docker.io/library/alpine", "docker.io", "library/alpine", null, null, "docker.io/library/alpine:latest")]
    [InlineData("localhost/tool", "localhost", "tool", null, null, "localhost/tool:latest")]
    [InlineData("localhost:5000/a/b/c:t_1", "localhost:5000", "a/b/c", "t_1", null, "localhost:5000/a/b/c:t_1")]
    [InlineData("10.213.0.1:5443/tests/x:1", "10.213.0.1:5443", "tests/x", "1", null, "10.213.0.1:5443/tests/x:1")]
    [InlineData("registry.example.com/team/tool", "registry.example.com", "team/tool", null, null, "registry.example.com/team/tool:latest")]
    [InlineData("Uppercase/tool", "Uppercase", "tool", null, null, "Uppercase/tool:latest")] // an uppercase first part is a host
    [InlineData("a__b/c--d/e.f", "docker.io", "a__b/c--d/e.f", null, null, "docker.io/a__b/c--d/e.f:latest")]
    [InlineData("[::1]:5000/tool:1", "[::1]:5000", "tool", "1", null, "[::1]:5000/tool:1")]
    [InlineData("r.example/t:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "r.example", "t", "1",
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "r.example/t@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void A_reference_splits_as_the_engine_splits_it(string reference, string domain, string path, string? tag, string? digest, string pull)
    {
        Assert.Null(ImageReferenceRules.Parse(reference, out var parsed));
        Assert.Equal((domain, path, tag, digest, pull), (parsed!.Domain, parsed.Path, parsed.Tag, parsed.Digest, parsed.PullReference));
        Assert.False(parsed.IsImageId);
    }

    [Fact]
    public void An_image_id_names_a_local_image()
    {
        var id = "sha256:" + new string('a', 64);

        Assert.Null(ImageReferenceRules.Parse(id, out var parsed));
        Assert.True(parsed!.IsImageId);
        Assert.Contains("image ID", ImageReferenceRules.GetProblem(new string('a', 64)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("MyTool", "lowercase")]
    [InlineData("tool:", "registry/]repository")]
    [InlineData(":tag", "registry/]repository")]
    [InlineData("tool:-tag", "registry/]repository")]
    [InlineData("a/b//c", "registry/]repository")]
    [InlineData("tool\n", "registry/]repository")] // $ would have matched before a final newline
    [InlineData("tool:ta\u0301g", "registry/]repository")] // .NET's \w is Unicode; Go's is ASCII
    [InlineData("tool@sha256:abc", "registry/]repository")]
    [InlineData("tool@md5:0123456789abcdef0123456789abcdef", "sha256:, sha384: or sha512:")]
    [InlineData("tool@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "lowercase hexadecimal")]
    [InlineData("tool -v /:/host", "registry/]repository")]
    public void A_reference_the_engine_would_refuse_is_refused_with_why(string reference, string why)
    {
        Assert.Contains(why, ImageReferenceRules.GetProblem(reference), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_255_characters_is_refused()
    {
        Assert.Contains("longer than 255", ImageReferenceRules.GetProblem("r.example/" + new string('a', 250)), StringComparison.Ordinal);
        Assert.Contains("128", ImageReferenceRules.GetProblem("tool:" + new string('t', 129)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", null)]
    [InlineData("sha512:" + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", null)]
    [InlineData("sha256:0123", "64 hexadecimal digits, not 4")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "sha256:, sha384: or sha512:")]
    [InlineData("", "empty")]
    public void A_pinned_digest_is_an_algorithm_and_its_full_hex_value(string digest, string? why)
    {
        var problem = ImageReferenceRules.GetDigestProblem(digest);
        if (why is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(why, problem, StringComparison.Ordinal);
        }
    }
}
