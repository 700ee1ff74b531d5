using System.Text.Json;

namespace VolumeGen.Integration.Tests.DockerInDocker;

/// <summary>
/// The pod-sidecar topology for real: the daemon in its own container speaking only TLS, workers in
/// containers sharing its network namespace and reaching it on tcp://127.0.0.1:2376 with the docker
/// CLI's variables, two tenants at once; the bind-mount failure shown there too; doctor inside
/// reports the TLS endpoint and why it chose it.
/// </summary>
public class TlsSidecarTests
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
}
