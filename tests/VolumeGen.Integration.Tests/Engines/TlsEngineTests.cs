using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VolumeGen.Engine;

namespace VolumeGen.Integration.Tests.Engines;

/// <summary>
/// A TLS-only engine, reached as a docker:dind sidecar is: with the docker CLI's variables, with the
/// same settings as options, through a context's TLS folder; and every way the TLS can fail, each an
/// <see cref="EngineUnavailableException"/> naming the endpoint and the cause. Runs against the TLS
/// engine of scripts/docker-variant-engine.sh (test.sh sets DOCKER_HOST, DOCKER_TLS_VERIFY and
/// DOCKER_CERT_PATH for it); anywhere else it fails, saying so.
/// </summary>
public class TlsEngineTests
{
    private static (Uri Endpoint, string Client) TlsEngine()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var certs = Environment.GetEnvironmentVariable("DOCKER_CERT_PATH");
        Assert.True(host?.StartsWith("tcp://", StringComparison.Ordinal) == true && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY")) && Directory.Exists(certs),
            "These tests need the TLS engine: DOCKER_HOST=tcp://127.0.0.1:23760 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=/tmp/volumegen-tls/certs/client (scripts/docker-variant-engine.sh tls start)");
        return (new Uri(host!), certs!);
    }

    /// <summary>A sibling of the client folder that the engine script made: untrusting/ or stranger/.</summary>
    private static string Sibling(string client, string name) => Path.Combine(Path.GetDirectoryName(client.TrimEnd('/'))!, name);

    [Fact]
    public async Task A_tool_runs_end_to_end_over_tls_found_from_the_docker_cli_variables()
    {
        var (endpoint, client) = TlsEngine();
        var resolved = EngineEndpoints.Resolve(new DockerConnectionOptions());
        Assert.Equal((endpoint, client), (resolved.Uri, resolved.Tls?.CertPath));

        var tenant = DockerEngine.NewTenant();
        var output = new TextOutputFile("out.txt");
        var outcome = await Tools.Runner.RunToolAsync(ScriptRequests.Script(tenant, "tls", "tr a-z A-Z < /inputs/in.txt > /outputs/out.txt").WithOutputs(output) with
        {
            Inputs = [VolumeFile.FromText("in.txt", "over tls")],
        });

        Assert.Equal("OVER TLS", outcome.Get(output));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task The_same_settings_work_as_options_and_from_a_contexts_tls_folder()
    {
        var (endpoint, client) = TlsEngine();
        var asOptions = new DockerConnectionOptions { Endpoint = endpoint, TlsVerify = true, TlsCertPath = client };
        Assert.Equal(endpoint, (await new ContainerToolRunner(asOptions).CheckEngineAsync()).Endpoint);

        // A context as `docker context create dind --docker host=...,ca=...,cert=...,key=...` stores it.
        var config = Directory.CreateTempSubdirectory("volumegen-docker-config").FullName;
        try
        {
            var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("dind"u8));
            Directory.CreateDirectory(Path.Combine(config, "contexts", "meta", id));
            await File.WriteAllTextAsync(Path.Combine(config, "contexts", "meta", id, "meta.json"),
                $$$$"""{"Name":"dind","Metadata":{},"Endpoints":{"docker":{"Host":"{{{{endpoint}}}}","SkipTLSVerify":false}}}""");
            var tls = Directory.CreateDirectory(Path.Combine(config, "contexts", "tls", id, "docker")).FullName;
            foreach (var file in new[] { "ca.pem", "cert.pem", "key.pem" })
            {
                File.Copy(Path.Combine(client, file), Path.Combine(tls, file));
            }

            // As a process without DOCKER_HOST sees it (this one has it set, and DOCKER_HOST comes first).
            var found = EngineEndpoints.Resolve(new DockerConnectionOptions { Context = "dind" }, name => name == "DOCKER_CONFIG" ? config : null);
            Assert.Equal((endpoint, tls), (found.Uri, found.Tls?.CertPath));
            var fromContext = new DockerConnectionOptions { Endpoint = found.Uri, TlsVerify = true, TlsCertPath = found.Tls!.CertPath };
            Assert.NotEmpty((await new ContainerToolRunner(fromContext).CheckEngineAsync()).Version);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    [Fact]
    public async Task A_hosted_worker_takes_the_tls_settings_from_its_configuration()
    {
        var (endpoint, client) = TlsEngine();

        using var host = Hosting.HostingTests.Host(("VolumeGen:Endpoint", endpoint.ToString()), ("VolumeGen:TlsVerify", "true"), ("VolumeGen:TlsCertPath", client), ("VolumeGen:Sweeper:Enabled", "false"));
        var healthy = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["volumegen"];
        using var untrusting = Hosting.HostingTests.Host(("VolumeGen:Endpoint", endpoint.ToString()), ("VolumeGen:TlsVerify", "true"), ("VolumeGen:TlsCertPath", Sibling(client, "untrusting")), ("VolumeGen:Sweeper:Enabled", "false"));
        var refused = (await untrusting.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["volumegen"];

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, refused.Status);
        Assert.Contains("does not chain to the CA", refused.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_certificate_from_another_ca_is_refused()
    {
        var (endpoint, client) = TlsEngine();

        var error = await UnavailableAsync(new DockerConnectionOptions { Endpoint = endpoint, TlsVerify = true, TlsCertPath = Sibling(client, "untrusting") });

        Assert.Contains("does not chain to the CA", error.Cause);
    }

    [Fact]
    public async Task A_host_name_the_engine_certificate_does_not_name_is_refused()
    {
        var (endpoint, client) = TlsEngine();
        var byName = new UriBuilder(endpoint) { Host = "localhost" }.Uri; // the certificate names 127.0.0.1 only

        var error = await UnavailableAsync(new DockerConnectionOptions { Endpoint = byName, TlsVerify = true, TlsCertPath = client });

        Assert.Contains("not issued for the host name", error.Cause);
    }

    [Fact]
    public async Task A_client_certificate_the_engine_does_not_trust_is_refused()
    {
        var (endpoint, client) = TlsEngine();

        var error = await UnavailableAsync(new DockerConnectionOptions { Endpoint = endpoint, TlsVerify = true, TlsCertPath = Sibling(client, "stranger") });

        Assert.Contains("refused the client certificate", error.Cause);
    }

    [Fact]
    public async Task Plain_http_against_the_tls_port_says_the_engine_speaks_tls()
    {
        var (endpoint, _) = TlsEngine();

        var error = await UnavailableAsync(new DockerConnectionOptions { Endpoint = endpoint, TlsVerify = false });

        Assert.Contains("speaks TLS", error.Cause);
    }

    [Fact]
    public async Task Missing_tls_files_are_named()
    {
        var (endpoint, _) = TlsEngine();
        var empty = Directory.CreateTempSubdirectory("volumegen-no-certs").FullName;
        try
        {
            var error = await UnavailableAsync(new DockerConnectionOptions { Endpoint = endpoint, TlsVerify = true, TlsCertPath = empty });
            Assert.Contains("ca.pem is missing", error.Cause);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task Doctor_reports_the_tls_endpoint_it_chose_and_why()
    {
        TlsEngine();

        var checks = await VolumeGen.Cli.Commands.DoctorCommand.RunChecksAsync(new DockerConnectionOptions(), CancellationToken.None);

        Assert.Contains(checks, c => c.Name == "endpoint choice" && c.Detail.Contains("DOCKER_HOST says tcp://127.0.0.1", StringComparison.Ordinal) && c.Detail.Contains("TLS verified", StringComparison.Ordinal));
        Assert.Contains(checks, c => c.Name == "endpoint" && c.Status == "ok" && c.Detail.Contains("over TLS", StringComparison.Ordinal));
    }

    private static async Task<EngineUnavailableException> UnavailableAsync(DockerConnectionOptions options)
    {
        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => new ContainerToolRunner(options).CheckEngineAsync());
        Assert.Equal(options.Endpoint!.ToString(), error.Endpoint);
        Assert.DoesNotContain(error.Message, char.IsControl);
        return error;
    }
}
