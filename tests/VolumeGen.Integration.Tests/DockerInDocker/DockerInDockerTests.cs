using Docker.DotNet.Models;

namespace VolumeGen.Integration.Tests.DockerInDocker;

/// <summary>
/// The claim VolumeGen is built on, checked for real: a worker that runs in a container and sees
/// the daemon only through its socket gets files to and from its tools through named volumes,
/// while a bind mount of its own folder reaches the tool empty.
/// </summary>
public class DockerInDockerTests
{
    [Fact]
    public async Task Two_containerized_workers_run_tools_for_two_tenants_through_the_socket_only()
    {
        var tenants = new[] { DockerEngine.NewTenant("dind"), DockerEngine.NewTenant("dind") };

        var outputs = await Task.WhenAll(
            RunWorkerAsync("run", tenants[0], "wf-1", "a.example", "b.example"),
            RunWorkerAsync("run", tenants[1], "wf-1", "c.example"));

        Assert.Contains("exit=0 stdout=resolved 2 host(s)", outputs[0]);
        Assert.Contains("{\"host\":\"a.example\",\"resolver\":\"10.0.0.53\",\"a\":[\"127.0.0.1\"]}", outputs[0]);
        Assert.Contains("{\"host\":\"b.example\"", outputs[0]);
        Assert.DoesNotContain("c.example", outputs[0]);
        Assert.Contains("exit=0 stdout=resolved 1 host(s)", outputs[1]);
        Assert.DoesNotContain("a.example", outputs[1]);
        foreach (var tenant in tenants)
        {
            await DockerEngine.AssertNoLeftoversAsync(tenant);
        }
    }

    [Fact]
    public async Task A_bind_mount_of_the_workers_own_folder_reaches_the_tool_without_its_files()
    {
        var directory = $"/tmp/volumegen-dind-{Guid.NewGuid():N}";

        try
        {
            var output = await RunWorkerAsync("bind-demo", directory);

            Assert.Contains("marker missing", output);
            Assert.DoesNotContain("written by the worker", output);
        }
        finally
        {
            // Docker created the (empty) source directory on the daemon's side, which is this machine here.
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Volumegen_doctor_inside_the_worker_container_detects_that_bind_mounts_break()
    {
        var output = await RunInWorkerContainerAsync([WorkerImage.CliDll, "doctor", "--json"]);

        var checks = System.Text.Json.JsonDocument.Parse(output).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("ok", checks["endpoint"]);
        Assert.Equal("ok", checks["volume lifecycle"]);
        Assert.Equal("warn", checks["bind mounts"]);
        Assert.Equal("info", checks["environment"]);
    }

    private static Task<string> RunWorkerAsync(params string[] arguments) => RunInWorkerContainerAsync([WorkerImage.WorkerDll, .. arguments]);

    /// <summary>Runs a program of the worker image with only the daemon socket mounted; returns its output.</summary>
    private static Task<string> RunInWorkerContainerAsync(string[] arguments)
    {
        var socket = new DockerConnectionOptions().ResolvedEndpoint is { Scheme: "unix" } endpoint ? endpoint.AbsolutePath : "/var/run/docker.sock";
        return WorkerImage.RunAsync(arguments, new HostConfig { NetworkMode = "none", Binds = [$"{socket}:/var/run/docker.sock"] }, ["DOCKER_HOST=unix:///var/run/docker.sock"]);
    }
}
