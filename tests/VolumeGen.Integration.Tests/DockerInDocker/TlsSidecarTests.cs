using System.Text.Json;

namespace VolumeGen.Integration.Tests.DockerInDocker;

/// <summary>
/// The pod-sidecar topology for real: the daemon in its own container speaking only TLS, workers in
/// containers sharing its network namespace and reaching it on tcp://127.0.0.1:2376 with the docker
/// CLI's variables, two tenants at once; the bind-mount failure shown there too; doctor inside
/// reports the TLS endpoint and why it chose it. And an inner daemon pulling a tool's image from the
/// private registry, trusting its CA as an operator configures dind (<c>/etc/docker/certs.d</c>).
/// </summary>
public class TlsSidecarTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Workers_beside_a_tls_dind_sidecar_run_two_tenants_and_doctor_reports_the_tls_endpoint()
    {
        await using var sidecar = await DindSidecar.StartAsync();
        var tenants = new[] { DockerEngine.NewTenant("side"), DockerEngine.NewTenant("side") };

        var outputs = await Task.WhenAll(
            sidecar.RunWorkerAsync(WorkerImage.WorkerDll, "run", tenants[0], "wf-1", "a.example", "b.example"),
            sidecar.RunWorkerAsync(WorkerImage.WorkerDll, "run", tenants[1], "wf-1", "c.example"));
        var bind = await sidecar.RunWorkerAsync(WorkerImage.WorkerDll, "bind-demo", $"/tmp/volumegen-sidecar-{Guid.NewGuid():N}");
        var doctor = await sidecar.RunWorkerAsync(WorkerImage.CliDll, "doctor", "--json");
        // What the workers printed, kept in the test results for the record.
        foreach (var (what, text) in new[] { ("worker 1", outputs[0]), ("worker 2", outputs[1]), ("bind demo", bind), ("doctor", doctor) })
        {
            output.WriteLine($"--- {what}:\n{text}");
        }

        Assert.Contains("exit=0 stdout=resolved 2 host(s)", outputs[0]);
        Assert.Contains("{\"host\":\"a.example\"", outputs[0]);
        Assert.DoesNotContain("c.example", outputs[0]);
        Assert.Contains("exit=0 stdout=resolved 1 host(s)", outputs[1]);
        Assert.DoesNotContain("a.example", outputs[1]);
        // The sidecar's daemon resolves the worker's path in its own filesystem: the tool sees no file.
        Assert.Contains("marker missing", bind);
        var checks = JsonDocument.Parse(doctor).RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        Assert.Equal("ok", checks["endpoint"].GetProperty("status").GetString());
        Assert.Contains("over TLS", checks["endpoint"].GetProperty("detail").GetString());
        Assert.Contains($"DOCKER_HOST says {DindSidecar.Endpoint}/, TLS verified with /certs/client", checks["endpoint choice"].GetProperty("detail").GetString());
        Assert.Equal("warn", checks["bind mounts"].GetProperty("status").GetString());
        await sidecar.AssertNoLeftoversAsync(tenants);
    }

    [Fact]
    public async Task The_inner_daemon_pulls_a_tools_image_from_the_private_registry_with_the_workers_credentials()
    {
        var repository = Registry.TestRegistry.NewRepository("inner");
        await Registry.TestRegistry.PushAsync(repository, "1", "from-the-registry");
        await using var sidecar = await DindSidecar.StartAsync(Registry.TestRegistry.Address, Registry.TestRegistry.CaFile);
        var tenant = DockerEngine.NewTenant("inner");
        var runner = new ContainerToolRunner(new IsolatedVolumeOptions
        {
            Endpoint = sidecar.HarnessEndpoint,
            DockerConfig = Registry.TestRegistry.ConfigFolder(Registry.TestRegistry.AuthsConfig()),
        });

        var version = new TextOutputFile("version.txt");
        var tool = new ToolRunSpec($"{Registry.TestRegistry.Address}/{repository}:1") { Entrypoint = ["/bin/sh", "-c"], Command = ["version > /outputs/version.txt"] };
        var outcome = await runner.RunToolAsync(new ToolRunRequest(new ToolDefinition(tool) { Outputs = [version] }, tenant, "inner-pull"));

        Assert.Equal("from-the-registry\n", outcome.Get(version));
        var pulled = await sidecar.Inner.Images.InspectImageAsync($"{Registry.TestRegistry.Address}/{repository}:1");
        Assert.Contains(pulled.RepoDigests ?? [], d => d.StartsWith($"{Registry.TestRegistry.Address}/{repository}@sha256:", StringComparison.Ordinal));
        await sidecar.AssertNoLeftoversAsync(tenant);
    }
}
