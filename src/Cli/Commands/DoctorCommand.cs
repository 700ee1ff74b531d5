using System.CommandLine;
using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using VolumeGen.Engine;

namespace VolumeGen.Cli.Commands;

/// <summary><c>volumegen doctor</c>: is this machine set up for VolumeGen, and would bind mounts even work here?</summary>
internal static class DoctorCommand
{
    public static Command Create(Option<Uri?> host, Option<bool> json)
    {
        var command = new Command("doctor", "Check the Docker endpoint, API version, helper image, permissions, and whether bind mounts would work here (Docker-in-Docker)");
        command.SetAction(async (result, cancellationToken) =>
        {
            var checks = await RunChecksAsync(Options.Connection(result, host), cancellationToken);
            if (result.GetValue(json))
            {
                Options.WriteJson(result, checks);
            }
            else
            {
                foreach (var check in checks)
                {
                    result.InvocationConfiguration.Output.WriteLine($"[{check.Status,-4}] {check.Name}: {check.Detail}{(check.Advice is null ? "" : $"\n       fix: {check.Advice}")}");
                }
            }

            return checks.Any(c => c.Status == "fail") ? 1 : 0;
        });
        return command;
    }

    internal static async Task<List<DoctorCheck>> RunChecksAsync(DockerConnectionOptions connection, CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        IDockerClient client;
        VersionResponse version;
        EngineEndpoint endpoint;
        try
        {
            endpoint = EngineEndpoints.Resolve(connection);
            checks.Add(new DoctorCheck("endpoint choice", "info", $"{endpoint.Uri}: {endpoint.Reason}", null));
            client = await connection.ConnectAsync(cancellationToken);
            version = await client.System.GetVersionAsync(cancellationToken);
        }
        catch (EngineUnavailableException e)
        {
            checks.Add(new DoctorCheck("endpoint", "fail", Validation.Printable.Of($"{e.Endpoint}: {e.Cause}"), Advice(e)));
            return checks;
        }

        checks.Add(new DoctorCheck("endpoint", "ok",
            $"{endpoint.Uri} answers{(endpoint.Tls is { } tls ? $" over TLS (certificate verified against {tls.CertPath}/ca.pem)" : "")}: Docker Engine {version.Version} ({version.Os}/{version.Arch})", null));
        var (minimum, maximum) = DockerConnectionOptions.SupportedApiVersions;
        checks.Add(new DoctorCheck("api version", "ok",
            $"daemon speaks API {version.MinAPIVersion}..{version.APIVersion}; VolumeGen speaks {minimum}..{maximum} and uses the highest common one", null));

        var info = await client.System.GetSystemInfoAsync(cancellationToken);
        checks.Add(CheckResourceLimits(info, connection));
        checks.Add(CheckDiskQuota(info));
        var lifecycle = await CheckLifecycleAsync(connection, cancellationToken);
        checks.Add(lifecycle);
        if (lifecycle.Status == "ok")
        {
            checks.Add(await CheckBindMountsAsync(client, cancellationToken));
        }

        var inContainer = File.Exists("/.dockerenv") || File.Exists("/run/.containerenv");
        checks.Add(new DoctorCheck("environment", "info", inContainer ? "this process runs inside a container" : "this process does not run inside a container", null));
        return checks;
    }

    /// <summary>What someone who installed the packages (not this repository) can do about an endpoint that cannot be used.</summary>
    private static string Advice(EngineUnavailableException e) => e.Cause switch
    {
        var c when c.Contains("speaks TLS", StringComparison.Ordinal) =>
            "export DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=<folder with ca.pem, cert.pem, key.pem> (a docker:dind sidecar writes them to /certs/client)",
        var c when c.Contains("certificate", StringComparison.Ordinal) || c.Contains("TLS", StringComparison.Ordinal) =>
            "check that DOCKER_CERT_PATH holds the CA that signed the engine's certificate, a client certificate that CA signed, and that the host name matches the certificate",
        var c when c.Contains("may not use", StringComparison.Ordinal) =>
            "run as a member of the socket's group (usually 'docker': sudo usermod -aG docker $USER, then log in again), or as root",
        var c when c.Contains("context", StringComparison.Ordinal) => "list the contexts with `docker context ls` and pick one that exists (DOCKER_CONTEXT, or `docker context use`)",
        _ => "start the engine (sudo systemctl start docker, or dockerd; Podman: systemctl start podman.socket), or point DOCKER_HOST, --host or a docker context at a running one",
    };

    /// <summary>Rootless Docker without cgroups accepts memory and pids limits and ignores them.</summary>
    private static DoctorCheck CheckResourceLimits(SystemInfoResponse info, DockerConnectionOptions connection)
    {
        if (info.MemoryLimit && info.PidsLimit)
        {
            return new DoctorCheck("resource limits", "ok", $"memory and pids limits are enforced (cgroup driver {info.CgroupDriver}, v{info.CgroupVersion})", null);
        }

        return new DoctorCheck("resource limits", connection.AllowUnenforcedResourceLimits ? "warn" : "fail",
            $"the engine does not enforce {(info.MemoryLimit ? "" : "memory ")}{(info.PidsLimit ? "" : "pids ")}limits (cgroup driver {info.CgroupDriver}); " +
            (connection.AllowUnenforcedResourceLimits ? "tools run anyway (AllowUnenforcedResourceLimits)" : "tool runs are refused"),
            "run the engine with cgroups (rootless Docker needs cgroup v2 with delegation), or accept the risk with VOLUMEGEN_ALLOW_UNENFORCED_LIMITS=1");
    }

    /// <summary>
    /// Local-driver volumes have no size limit on any storage Docker offers (project quotas on XFS
    /// bound container layers, not volumes): what a tool writes is bounded only by the daemon's disk.
    /// </summary>
    private static DoctorCheck CheckDiskQuota(SystemInfoResponse info)
    {
        var backing = info.DriverStatus?.FirstOrDefault(s => s.Length == 2 && s[0] == "Backing Filesystem")?[1] ?? "unknown";
        return new DoctorCheck("disk quota", "warn",
            $"volumes have no size limit here (local driver; storage driver {info.Driver} on {backing}, data root {info.DockerRootDir}): " +
            "a tool can write until the daemon's disk is full; VolumeGen bounds only what it reads back (MaxBufferedReadBytes, MaxStreamedFileBytes)",
            "give the daemon's data root a filesystem of its own and watch its free space; keep tool timeouts short");
    }

    /// <summary>Creates, fills, reads and removes a labeled volume: helper image, permissions and cleanup in one go.</summary>
    private static async Task<DoctorCheck> CheckLifecycleAsync(DockerConnectionOptions connection, CancellationToken cancellationToken)
    {
        var options = new IsolatedVolumeOptions { DockerClient = connection.DockerClient, Endpoint = connection.Endpoint };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await using var volume = new IsolatedContainerVolume("volumegen-doctor", $"check-{Environment.ProcessId}", options);
            await volume.InitializeAsync(new Dictionary<string, string> { ["probe/hello.txt"] = "hello" }, cancellationToken);
            var back = await volume.ReadFilesAsync(["probe/hello.txt"], cancellationToken);
            await volume.CleanupAsync(cancellationToken);
            return back["probe/hello.txt"] == "hello"
                ? new DoctorCheck("volume lifecycle", "ok", $"created, wrote, read and removed a labeled volume with helper image {options.HelperImage} in {stopwatch.ElapsedMilliseconds} ms", null)
                : new DoctorCheck("volume lifecycle", "fail", "a file read back differs from what was written", "report this: the daemon's archive API misbehaves");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new DoctorCheck("volume lifecycle", "fail", e.Message,
                "check that this user may use the Docker socket (docker group or root) and that the daemon can create volumes");
        }
    }

    /// <summary>
    /// Bind-mounts a folder of this process into a never-started container and asks the daemon
    /// whether a file in it is visible there. Under Docker-in-Docker it is not: the daemon resolves
    /// the path on its own filesystem.
    /// </summary>
    private static async Task<DoctorCheck> CheckBindMountsAsync(IDockerClient client, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("volumegen-doctor-");
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "marker"), "here", cancellationToken);
        string? container = null;
        try
        {
            container = (await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = IsolatedVolumeOptions.DefaultHelperImage,
                Cmd = ["/volumegen-doctor-never-runs"],
                Labels = new Dictionary<string, string> { [$"{DockerConnectionOptions.DefaultLabelPrefix}.doctor"] = "true" },
#pragma warning disable VG0004 // This probe exists to find out whether a host bind mount would work.
                // A "bind" mount, not Binds: Binds would create the missing folder on the daemon's host.
                HostConfig = new HostConfig
                {
                    NetworkMode = "none",
                    Mounts = [new Mount { Type = "bind", Source = directory.FullName, Target = "/probe", ReadOnly = true }],
                },
#pragma warning restore VG0004
            }, cancellationToken)).ID;
            try
            {
                await client.Containers.GetArchiveFromContainerAsync(container, new ContainerPathStatParameters { Path = "/probe/marker" }, true, cancellationToken);
                return new DoctorCheck("bind mounts", "ok",
                    "this process's folders are visible to the daemon (not Docker-in-Docker); VolumeGen's named volumes work either way", null);
            }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return new DoctorCheck("bind mounts", "warn",
                    "this process's folders are NOT visible to the daemon: a Docker-in-Docker-like setup, where bind mounts reach tools empty",
                    "exchange files through IsolatedContainerVolume (named volumes), never host paths");
            }
        }
        catch (DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            return new DoctorCheck("bind mounts", "warn",
                $"the daemon does not see this process's folder {directory.FullName} ({e.ResponseBody?.Trim()}): a Docker-in-Docker-like setup, where bind mounts break",
                "exchange files through IsolatedContainerVolume (named volumes), never host paths");
        }
        finally
        {
            if (container is not null)
            {
                await client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
            }

            directory.Delete(recursive: true);
        }
    }
}

/// <summary>One doctor check: ok, warn, fail or info, what was found, and what to do about it.</summary>
internal sealed record DoctorCheck(string Name, string Status, string Detail, string? Advice);
