using System.Security.Cryptography;
using System.Text;
using VolumeGen.Engine;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// The engine is found as the docker CLI finds it: the options' endpoint, DOCKER_HOST, a context
/// (the options', DOCKER_CONTEXT, the config file's current one), then the first local socket; TLS
/// as DOCKER_TLS_VERIFY and DOCKER_CERT_PATH say, never unverified. No engine needed.
/// </summary>
public sealed class EngineEndpointsTests : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("volumegen-docker-config").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public void The_options_endpoint_comes_before_DOCKER_HOST_which_comes_before_any_context()
    {
        AddContext("remote", "tcp://10.0.0.9:2376", tls: false);
        var env = Env(("DOCKER_HOST", "tcp://10.0.0.5:2375"), ("DOCKER_CONTEXT", "remote"));

        Assert.Equal("unix:///run/other.sock", Resolve(new DockerConnectionOptions { Endpoint = new Uri("unix:///run/other.sock") }, env).Uri.ToString());
        var fromHost = Resolve(new DockerConnectionOptions(), env);
        Assert.Equal(("tcp://10.0.0.5:2375/", "DOCKER_HOST says tcp://10.0.0.5:2375/, without TLS"), (fromHost.Uri.ToString(), fromHost.Reason));
    }

    [Fact]
    public void A_context_from_the_options_DOCKER_CONTEXT_or_the_config_file_in_that_order()
    {
        AddContext("a", "tcp://10.0.0.1:2375", tls: false);
        AddContext("b", "tcp://10.0.0.2:2375", tls: false);
        AddContext("c", "unix:///run/c.sock", tls: false);
        File.WriteAllText(Path.Combine(_config, "config.json"), """{"auths":{},"currentContext":"c"}""");

        Assert.Equal("tcp://10.0.0.1:2375/", Resolve(new DockerConnectionOptions { Context = "a" }, Env(("DOCKER_CONTEXT", "b"))).Uri.ToString());
        Assert.Equal("tcp://10.0.0.2:2375/", Resolve(new DockerConnectionOptions(), Env(("DOCKER_CONTEXT", "b"))).Uri.ToString());
        var current = Resolve(new DockerConnectionOptions(), Env());
        Assert.Equal("unix:///run/c.sock", current.Uri.ToString());
        Assert.Contains("currentContext in", current.Reason);
    }

    [Fact]
    public void The_default_context_and_nothing_set_mean_the_first_local_socket_that_exists()
    {
        var runtime = "/run/user/1000";
        var env = Env(("XDG_RUNTIME_DIR", runtime), ("DOCKER_CONTEXT", "default"));

        Assert.Equal("unix:///var/run/docker.sock", Resolve(new DockerConnectionOptions(), env, _ => true).Uri.ToString());
        Assert.Equal($"unix://{runtime}/docker.sock", Resolve(new DockerConnectionOptions(), env, p => p.StartsWith(runtime, StringComparison.Ordinal)).Uri.ToString());
        Assert.Equal("unix:///run/podman/podman.sock", Resolve(new DockerConnectionOptions(), env, p => p.Contains("podman", StringComparison.Ordinal)).Uri.ToString());
        var none = Resolve(new DockerConnectionOptions(), Env(), _ => false);
        Assert.Equal("unix:///var/run/docker.sock", none.Uri.ToString());
        Assert.Contains("none of /var/run/docker.sock", none.Reason);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")] // the docker CLI: any non-empty value
    public void DOCKER_TLS_VERIFY_turns_tls_on_with_DOCKER_CERT_PATH_else_the_config_folder(string verify)
    {
        var host = ("DOCKER_HOST", "tcp://127.0.0.1:2376");

        Assert.Equal(_config, Resolve(new DockerConnectionOptions(), Env(host, ("DOCKER_TLS_VERIFY", verify))).Tls?.CertPath);
        Assert.Equal("/certs/client", Resolve(new DockerConnectionOptions(), Env(host, ("DOCKER_TLS_VERIFY", verify), ("DOCKER_CERT_PATH", "/certs/client"))).Tls?.CertPath);
        Assert.Null(Resolve(new DockerConnectionOptions(), Env(host)).Tls);
        // The options override the variables, both ways.
        Assert.Null(Resolve(new DockerConnectionOptions { TlsVerify = false }, Env(host, ("DOCKER_TLS_VERIFY", "1"))).Tls);
        Assert.Equal("/mine", Resolve(new DockerConnectionOptions { TlsVerify = true, TlsCertPath = "/mine" }, Env(host)).Tls?.CertPath);
        // TLS is for network endpoints only.
        Assert.Null(Resolve(new DockerConnectionOptions { Endpoint = new Uri("unix:///var/run/docker.sock") }, Env(("DOCKER_TLS_VERIFY", "1"))).Tls);
    }

    [Fact]
    public void A_contexts_tls_folder_is_used_verified()
    {
        AddContext("dind", "tcp://127.0.0.1:2376", tls: true);

        var found = Resolve(new DockerConnectionOptions(), Env(("DOCKER_CONTEXT", "dind")));

        Assert.Equal(Path.Combine(_config, "contexts", "tls", Id("dind"), "docker"), found.Tls?.CertPath);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "DOCKER_CONTEXT=missing", "does not hold" },
        { "DOCKER_HOST=ssh://me@host", "not an engine address" },
        { "DOCKER_HOST=tcp://127.0.0.1:2376 DOCKER_TLS=1", "without verifying" },
        { "DOCKER_CONTEXT=skipping", "skips TLS verification" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Settings_that_name_no_usable_endpoint_are_refused_saying_why(string variables, string cause)
    {
        AddContext("skipping", "tcp://127.0.0.1:2376", tls: true, skipVerify: true);
        var env = Env(variables.Split(' ').Select(v => (v[..v.IndexOf('=')], v[(v.IndexOf('=') + 1)..])).ToArray());

        var error = Assert.Throws<EngineUnavailableException>(() => Resolve(new DockerConnectionOptions(), env));

        Assert.Contains(cause, error.Cause);
    }

    [Fact]
    public async Task An_endpoint_nothing_listens_on_is_one_typed_error_naming_it_and_the_cause()
    {
        var missing = await Assert.ThrowsAsync<EngineUnavailableException>(() =>
            new ContainerToolRunner(new DockerConnectionOptions { Endpoint = new Uri("unix:///nonexistent/volumegen/docker.sock") }).CheckEngineAsync());
        Assert.Equal(("unix:///nonexistent/volumegen/docker.sock", "there is no socket at /nonexistent/volumegen/docker.sock"), (missing.Endpoint, missing.Cause));

        var refused = await Assert.ThrowsAsync<EngineUnavailableException>(() =>
            new ContainerToolRunner(new DockerConnectionOptions { Endpoint = new Uri("tcp://127.0.0.1:1") }).CheckEngineAsync());
        Assert.Equal(("tcp://127.0.0.1:1/", "the connection was refused: nothing listens there"), (refused.Endpoint, refused.Cause));
        Assert.IsAssignableFrom<VolumeGenException>(refused);
    }

    private EngineEndpoint Resolve(DockerConnectionOptions options, Func<string, string?> env, Func<string, bool>? exists = null) =>
        EngineEndpoints.Resolve(options, env, exists ?? (_ => false));

    /// <summary>An environment of just these variables, with DOCKER_CONFIG pointing at this test's folder.</summary>
    private Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => name == "DOCKER_CONFIG" ? _config : variables.FirstOrDefault(v => v.Name == name).Value;

    private static string Id(string context) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context)));

    private void AddContext(string name, string host, bool tls, bool skipVerify = false)
    {
        var meta = Directory.CreateDirectory(Path.Combine(_config, "contexts", "meta", Id(name))).FullName;
        File.WriteAllText(Path.Combine(meta, "meta.json"),
            $$$$"""{"Name":"{{{{name}}}}","Metadata":{},"Endpoints":{"docker":{"Host":"{{{{host}}}}","SkipTLSVerify":{{{{(skipVerify ? "true" : "false")}}}}}}}""");
        if (tls)
        {
            Directory.CreateDirectory(Path.Combine(_config, "contexts", "tls", Id(name), "docker"));
        }
    }
}
