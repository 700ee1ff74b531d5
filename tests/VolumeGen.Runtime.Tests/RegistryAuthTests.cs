using System.Text;
using VolumeGen.Engine;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// Registry credentials are found as docker/cli's <c>ResolveAuthConfig</c> finds them for a pull:
/// the options first, then <c>credHelpers</c> for the host, <c>credsStore</c>, <c>auths</c> (the key,
/// then a key whose host is it); the helper protocol as docker-credential-helpers speaks it. No engine.
/// </summary>
public sealed class RegistryAuthTests : IDisposable
{
    private const string Registry = "registry.example.com:5000";
    private readonly string _config = Directory.CreateTempSubdirectory("volumegen-docker-config").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    private static string Auth(string userAndPassword) => Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private Task<RegistryLogin> FindAsync(string config, string registry = Registry, DockerConnectionOptions? options = null)
    {
        File.WriteAllText(Path.Combine(_config, "config.json"), config);
        var folder = _config;
        return RegistryAuth.FindAsync(registry, options ?? new DockerConnectionOptions { DockerConfig = folder },
            name => name == "PATH" ? folder : null, CancellationToken.None);
    }

    [Theory]
    [InlineData(Registry)]
    [InlineData("https://" + Registry + "/v1/")] // the CLI's old key form: its host
    [InlineData("http://" + Registry)]
    [InlineData(Registry + "/some/path")]
    public async Task An_auths_entry_is_found_by_its_key_or_by_its_keys_host(string key)
    {
        var login = await FindAsync($$$$"""{"auths":{"other.example":{"auth":"{{{{Auth("x:y")}}}}"},"{{{{key}}}}":{"auth":"{{{{Auth("user:pa:ss")}}}}"}}}""");

        Assert.Equal(("user", "pa:ss"), (login.Credential!.Username, login.Credential.Password)); // split at the first colon
        Assert.StartsWith("auths in ", login.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docker_Hub_is_looked_up_under_the_index_key_and_username_password_and_token_fields_are_read()
    {
        var login = await FindAsync("""{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p","identitytoken":"t"}}}""", registry: "docker.io");

        Assert.Equal(("u", "p", "t"), (login.Credential!.Username, login.Credential.Password, login.Credential.IdentityToken));
    }

    [Fact]
    public async Task A_registry_without_an_entry_pulls_anonymously()
    {
        var login = await FindAsync($$$$"""{"auths":{"other.example:5000":{"auth":"{{{{Auth("x:y")}}}}"}}}""");

        Assert.Null(login.Credential);
        Assert.Contains("no credentials", login.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_auth_that_is_not_user_colon_password_is_a_typed_error()
    {
        var error = await Assert.ThrowsAsync<ImagePullFailedException>(() => FindAsync($$$$"""{"auths":{"{{{{Registry}}}}":{"auth":"{{{{Auth("nocolon")}}}}"}}}"""));

        Assert.Contains("user:password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_in_the_options_come_first_whatever_case_the_host_is_written_in()
    {
        var options = new DockerConnectionOptions
        {
            DockerConfig = _config,
            RegistryCredentials = new Dictionary<string, RegistryCredential> { ["REGISTRY.example.com:5000"] = new() { Username = "given", Password = "secret" } },
        };

        var login = await FindAsync($$$$"""{"auths":{"{{{{Registry}}}}":{"auth":"{{{{Auth("file:pw")}}}}"}}}""", options: options);

        Assert.Equal("given", login.Credential!.Username);
        Assert.DoesNotContain("secret", login.Credential.ToString(), StringComparison.Ordinal);
    }

    private void Helper(string name, string script)
    {
        var path = Path.Combine(_config, "docker-credential-" + name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }

    [Fact]
    public async Task A_helper_for_the_host_comes_before_the_store_and_gets_the_key_on_standard_input()
    {
        Helper("perhost", """read -r key; echo "{\"ServerURL\":\"$key\",\"Username\":\"u-$key\",\"Secret\":\"s\"}" """);
        Helper("store", """echo '{"Username":"store","Secret":"s"}'""");

        var login = await FindAsync($$$$"""{"credsStore":"store","credHelpers":{"{{{{Registry}}}}":"perhost"}}""");

        Assert.Equal(("u-" + Registry, "s"), (login.Credential!.Username, login.Credential.Password));
        Assert.Contains("docker-credential-perhost", login.Source, StringComparison.Ordinal);
        Assert.Equal("store", (await FindAsync("""{"credsStore":"store","credHelpers":{"other:1":"perhost"}}""")).Credential!.Username);
    }

    [Fact]
    public async Task A_helpers_token_user_name_means_an_identity_token_and_not_found_means_anonymous()
    {
        Helper("token", """echo '{"Username":"<token>","Secret":"refresh"}'""");
        var token = await FindAsync("""{"credsStore":"token"}""");
        Assert.Equal((null, null, "refresh"), (token.Credential!.Username, token.Credential.Password, token.Credential.IdentityToken));

        Helper("empty", "echo 'credentials not found in native keychain'; exit 1");
        Assert.Null((await FindAsync("""{"credsStore":"empty"}""")).Credential);
    }

    [Theory]
    [InlineData("echo 'keychain locked'; exit 1", "keychain locked")]
    [InlineData("echo 'not json'", "not the helper protocol")]
    [InlineData("sleep 30", "did not answer within")]
    public async Task A_failing_helper_leaves_the_config_files_entry_and_says_why(string script, string why)
    {
        Helper("broken", script);
        var options = new DockerConnectionOptions { DockerConfig = _config, RequestTimeout = TimeSpan.FromSeconds(1) };

        var login = await FindAsync($$$$"""{"credsStore":"broken","auths":{"{{{{Registry}}}}":{"auth":"{{{{Auth("file:pw")}}}}"}}}""", options: options);

        Assert.Equal("file", login.Credential!.Username); // as the CLI: the file store's entry stays
        Assert.Contains(why, login.HelperFailure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../bin/sh")]
    [InlineData("missing")]
    public async Task A_helper_name_is_a_program_on_PATH_never_a_path(string name)
    {
        var login = await FindAsync($$$$"""{"credsStore":"{{{{name}}}}"}""");

        Assert.Null(login.Credential);
        Assert.NotNull(login.HelperFailure);
    }

    [Theory]
    [InlineData("registry.example.com", "registry.example.com")]
    [InlineData("https://registry.example.com/v1/", "registry.example.com")]
    [InlineData("https://registry.example.com:443/v2/", "registry.example.com:443")] // Go keeps a written port
    [InlineData("http://user@host.example:5000/x", "host.example:5000")]
    [InlineData("host.example:5000/path", "host.example:5000")]
    public void A_key_converts_to_its_host_as_the_CLI_converts_it(string key, string host)
    {
        Assert.Equal(host, RegistryAuth.ConvertToHostname(key));
    }
}

/// <summary>What an engine says when a pull fails, classified; each message is one a real engine gave (Docker 20.10, Podman 4.3).</summary>
public class PullFailuresTests
{
    [Theory]
    [InlineData("Head \"https://10.213.0.1:5443/v2/probe/hello/manifests/1\": no basic auth credentials", ImagePullFailure.Unauthorized)]
    [InlineData("unauthorized: authentication required", ImagePullFailure.Unauthorized)]
    [InlineData("Get \"https://10.213.0.1:5444/v2/\": x509: certificate signed by unknown authority", ImagePullFailure.UntrustedCertificate)]
    [InlineData("Get \"https://10.213.0.1:5445/v2/\": dial tcp 10.213.0.1:5445: connect: connection refused", ImagePullFailure.RegistryUnreachable)]
    [InlineData("write /var/lib/docker/tmp/x: no space left on device", ImagePullFailure.Other)]
    [InlineData("manifest for 10.213.0.1:5443/probe/nope:1 not found: manifest unknown: manifest unknown", null)]
    [InlineData("initializing source docker://10.213.0.1:5443/t@sha256:d0: reading manifest sha256:d0 in 10.213.0.1:5443/t: manifest unknown", null)]
    public void A_failure_is_classified_from_the_engines_words(string message, ImagePullFailure? reason)
    {
        Assert.Equal(reason, PullFailures.Classify(message));
    }
}
