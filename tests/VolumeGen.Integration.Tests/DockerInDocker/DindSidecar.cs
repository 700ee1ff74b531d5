using System.Security.Cryptography;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests.DockerInDocker;

/// <summary>
/// A Docker daemon in its own container, as a <c>docker:dind</c> sidecar runs beside a worker in a
/// pod: TLS on <c>tcp://127.0.0.1:2376</c> of its own network namespace (which the worker shares,
/// <c>--network container:NAME</c>), client certificates required, its certificates made here with
/// openssl in docker:dind's layout (<c>/certs/server</c>, <c>/certs/client</c>), <c>/var/lib/docker</c>
/// on a volume. The image holds this machine's dockerd, containerd, runc and their libraries. A
/// second, unix socket in a folder of this machine lets the test load the stand-in image and check
/// the inner engine for leftovers; the worker never uses it. Disposing removes all of it.
/// With a registry to trust, the sidecar joins the host's network instead (the only network that
/// reaches the registry from an engine started with <c>--bridge=none</c>), trusts the registry's CA in
/// its <c>/etc/docker/certs.d</c>, and serves only the harness socket (no port on the host's loopback).
/// </summary>
internal sealed class DindSidecar : IAsyncDisposable
{
    public const string Endpoint = "tcp://127.0.0.1:2376";

    private readonly string _folder;
    private readonly string _dataVolume;
    private string? _container;

    private DindSidecar(string folder, string dataVolume, IDockerClient inner)
    {
        _folder = folder;
        _dataVolume = dataVolume;
        Inner = inner;
    }

    /// <summary>The inner engine, for the test's own checks.</summary>
    public IDockerClient Inner { get; }

    public string CertificatesFolder => Path.Combine(_folder, "certs");

    /// <summary>The harness socket of the inner engine (what <see cref="Inner"/> uses).</summary>
    public Uri HarnessEndpoint => new($"unix://{Path.Combine(_folder, "run")}/docker.sock");

    /// <param name="trustedRegistry">host:port of a registry the inner daemon pulls from, and <paramref name="registryCa"/> its CA file; null: the pod topology.</param>
    /// <param name="registryCa">The registry's CA certificate (PEM).</param>
    public static async Task<DindSidecar> StartAsync(string? trustedRegistry = null, string? registryCa = null)
    {
        var outer = await DockerEngine.ClientAsync();
        var image = await ImageAsync(outer);
        var folder = Directory.CreateTempSubdirectory("volumegen-sidecar").FullName;
        var certs = Directory.CreateDirectory(Path.Combine(folder, "certs")).FullName;
        var run = Directory.CreateDirectory(Path.Combine(folder, "run")).FullName;
        var dataVolume = $"volumegen-sidecar-data-{Guid.NewGuid():N}"[..40];
        var inner = new DockerClientBuilder().WithEndpoint(new Uri($"unix://{run}/docker.sock")).Build();
        var sidecar = new DindSidecar(folder, dataVolume, inner);
        try
        {
            await MakeCertificatesAsync(certs);
            await outer.Volumes.CreateAsync(new VolumesCreateParameters { Name = dataVolume });
            if (trustedRegistry is not null)
            {
                var trust = Directory.CreateDirectory(Path.Combine(folder, "certs.d", trustedRegistry)).FullName;
                File.Copy(registryCa!, Path.Combine(trust, "ca.crt"));
            }

            sidecar._container = await CreateAsync(outer, image, dataVolume, certs, run, trustedRegistry is null ? null : Path.Combine(folder, "certs.d"));
            await outer.Containers.StartContainerAsync(sidecar._container, new ContainerStartParameters());
            await sidecar.WaitUntilUpAsync();
            // The tools' image, as an operator puts it on each engine (VolumeGen imports its own helper).
            await BusyboxImage.EnsureAsync(inner);
            return sidecar;
        }
        catch
        {
            await sidecar.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> CreateAsync(IDockerClient outer, string image, string dataVolume, string certs, string run, string? registryTrust)
    {
        List<string> command = ["dockerd", "--iptables=false", "--ip6tables=false", "--bridge=none", "-H", "unix:///run/harness/docker.sock"];
        if (registryTrust is null)
        {
            command.AddRange(["-H", Endpoint, "--tlsverify", "--tlscacert", "/certs/server/ca.pem", "--tlscert", "/certs/server/cert.pem", "--tlskey", "/certs/server/key.pem"]);
        }

        // Docker 20.10 gives "ALL" as every capability it knows and fails at start on the one this machine
        // lacks, so it is dropped there; Docker 23+ gives only the bounding set's and refuses to drop one
        // outside it. The engine's API version tells which.
        var boundingSetAware = System.Version.Parse((await outer.System.GetVersionAsync()).APIVersion) >= new System.Version(1, 42);
        var created = await outer.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Cmd = command,
            HostConfig = new HostConfig
            {
                // Its own network namespace with loopback only: the pod's, shared by the worker.
                // Pulling from the registry needs a network: this engine's only one is the host's.
                NetworkMode = registryTrust is null ? "none" : "host",
                // What a daemon needs here without --privileged (CAP_SYS_RESOURCE is not in this
                // machine's bounding set); MaskedPaths/ReadonlyPaths empty is the CLI's systempaths=unconfined.
                CapAdd = ["ALL"],
                CapDrop = boundingSetAware ? [] : ["SYS_RESOURCE"],
                SecurityOpt = ["seccomp=unconfined", "apparmor=unconfined"],
                MaskedPaths = [],
                ReadonlyPaths = [],
                CgroupnsMode = "host",
                // The daemon under test is this machine's: its cgroups, and folders of this test (the
                // certificates, and the harness's socket) are this machine's paths on purpose.
#pragma warning disable VG0004
                Binds = ["/sys/fs/cgroup:/sys/fs/cgroup", $"{certs}:/certs:ro", $"{run}:/run/harness", .. registryTrust is null ? Array.Empty<string>() : [$"{registryTrust}:/etc/docker/certs.d:ro"]],
#pragma warning restore VG0004
                Mounts = [new Mount { Type = "volume", Source = dataVolume, Target = "/var/lib/docker" }],
            },
        });
        return created.ID;
    }

    /// <summary>Runs a program of the worker image beside this sidecar, reaching it as a pod's worker does.</summary>
    public Task<string> RunWorkerAsync(params string[] arguments) => WorkerImage.RunAsync(
        arguments,
        // The client certificates, as a pod shares docker:dind's emptyDir with its worker.
#pragma warning disable VG0004
        new HostConfig { NetworkMode = $"container:{_container}", Binds = [$"{CertificatesFolder}/client:/certs/client:ro"] },
#pragma warning restore VG0004
        [$"DOCKER_HOST={Endpoint}", "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=/certs/client"]);

    /// <summary>Nothing with VolumeGen's labels of these tenants on the inner engine.</summary>
    public async Task AssertNoLeftoversAsync(params string[] tenants)
    {
        foreach (var tenant in tenants)
        {
            var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.volumegen.tenant={tenant}"] = true } };
            Assert.Empty((await Inner.Volumes.ListAsync(new VolumesListParameters { Filters = filter })).Volumes ?? []);
            Assert.Empty(await Inner.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Inner.Dispose();
        var outer = await DockerEngine.ClientAsync();
        if (_container is not null)
        {
            await outer.Containers.RemoveContainerAsync(_container, new ContainerRemoveParameters { Force = true });
        }

        try
        {
            await outer.Volumes.RemoveAsync(_dataVolume, force: true);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }

        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitUntilUpAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                await Inner.System.PingAsync();
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException && DateTime.UtcNow < deadline)
            {
                var state = (await (await DockerEngine.ClientAsync()).Containers.InspectContainerAsync(_container!)).State;
                Assert.True(state?.Running == true, $"the sidecar's dockerd exited ({state?.ExitCode}): {await LogsAsync()}");
                await Task.Delay(500);
            }
        }
    }

    private async Task<string> LogsAsync()
    {
        using var logs = await (await DockerEngine.ClientAsync()).Containers.GetContainerLogsAsync(_container!, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
        var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
        return stdout + stderr;
    }

    /// <summary>docker:dind's layout: a CA, the server's certificate for 127.0.0.1, a client certificate; each folder with its ca.pem.</summary>
    private static async Task MakeCertificatesAsync(string certs)
    {
        foreach (var sub in new[] { "ca", "server", "client" })
        {
            Directory.CreateDirectory(Path.Combine(certs, sub));
        }

        string In(string sub, string file) => Path.Combine(certs, sub, file);
        await ExternalProcess.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", In("ca", "key.pem"), "-out", In("ca", "cert.pem"), "-days", "2", "-subj", "/CN=volumegen-sidecar-ca"]);
        foreach (var (sub, cn, extensions) in new[] { ("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth"), ("client", "volumegen-worker", "extendedKeyUsage=clientAuth") })
        {
            await ExternalProcess.RunAsync("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", In(sub, "key.pem"), "-out", In(sub, "csr.pem"), "-subj", $"/CN={cn}"]);
            await File.WriteAllTextAsync(In(sub, "extensions.cnf"), extensions + "\n");
            await ExternalProcess.RunAsync("openssl", ["x509", "-req", "-in", In(sub, "csr.pem"), "-CA", In("ca", "cert.pem"), "-CAkey", In("ca", "key.pem"), "-CAcreateserial",
                "-days", "2", "-extfile", In(sub, "extensions.cnf"), "-out", In(sub, "cert.pem")]);
            File.Copy(In("ca", "cert.pem"), In(sub, "ca.pem"));
        }
    }

    /// <summary>This machine's daemon binaries and their libraries, tagged by content (built once).</summary>
    private static async Task<string> ImageAsync(IDockerClient outer)
    {
        var image = new LocalImage("volumegen-dind/daemon")
            .AddDirectory("tmp", (UnixFileMode)0b1_111_111_111)
            .AddDirectory("var/lib/docker")
            .AddDirectory("run/harness")
            .AddDirectory("etc")
            .AddText("/etc/passwd", "root:x:0:0:root:/:/bin/sh\n")
            .AddText("/etc/group", "root:x:0:\n")
            .WithChange("ENV PATH=/usr/bin:/usr/sbin:/bin");
        foreach (var binary in new[] { "/usr/sbin/dockerd", "/usr/bin/containerd", "/usr/sbin/runc", "/usr/bin/containerd-shim-runc-v2" })
        {
            await image.AddBinaryAsync(binary, "/usr/bin/" + Path.GetFileName(binary));
        }

        image.WithName($"{image.Name}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', image.Files.Select(f => $"{f.Key}|{new FileInfo(f.Value).Length}")))))[..16]}");
        await image.EnsureAsync(outer);
        return image.Name;
    }
}
