using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using VolumeGen.Engine;
using VolumeGen.Samples.StandInTools;
using VolumeGen.Testing;

namespace VolumeGen.Integration.Tests.Registry;

/// <summary>
/// The private registry <c>scripts/registry.sh</c> starts (distribution 2.8.2, TLS, htpasswd): where it
/// is, its credentials, docker config folders and credential helpers made for one test, and images
/// pushed for one test only (a repository of its own), removed from the engine so a run must pull.
/// </summary>
internal static class TestRegistry
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Settings = new(() => ScriptSettings.Load("/tmp/volumegen-registry/env"));

    /// <summary>host:port of the registry the engines trust.</summary>
    public static string Address => Setting("VOLUMEGEN_TEST_REGISTRY");

    /// <summary>host:port of a registry whose certificate no engine trusts.</summary>
    public static string Untrusted => Setting("VOLUMEGEN_TEST_REGISTRY_UNTRUSTED");

    /// <summary>host:port of a TLS server the engines trust that accepts connections and never answers.</summary>
    public static string Stalling => Setting("VOLUMEGEN_TEST_REGISTRY_STALLING");

    /// <summary>host:port where nothing listens.</summary>
    public static string Closed => Setting("VOLUMEGEN_TEST_REGISTRY_CLOSED");

    public static string User => Setting("VOLUMEGEN_TEST_REGISTRY_USER");

    /// <summary>The registry's CA certificate (PEM), as the engines trust it.</summary>
    public static string CaFile => Setting("VOLUMEGEN_TEST_REGISTRY_CA");

    public static string Password => Setting("VOLUMEGEN_TEST_REGISTRY_PASSWORD");

    /// <summary>A folder on PATH holding this run's credential helpers (PATH is only appended to).</summary>
    private static readonly Lazy<string> HelperFolder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("volumegen-helpers-").FullName;
        Environment.SetEnvironmentVariable("PATH", Environment.GetEnvironmentVariable("PATH") + ":" + folder);
        return folder;
    });

    /// <summary>A docker config folder with <paramref name="configJson"/> as its config.json.</summary>
    public static string ConfigFolder(string configJson)
    {
        var folder = Directory.CreateTempSubdirectory("volumegen-docker-config-").FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), configJson);
        return folder;
    }

    /// <summary>An <c>auths</c> config for the registry with <paramref name="password"/> (base64 user:password in <c>auth</c>).</summary>
    public static string AuthsConfig(string? password = null, string? key = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object> { [key ?? Address] = new { auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password ?? Password}")) } },
        });

    /// <summary>
    /// A credential helper <c>docker-credential-NAME</c> speaking the helper protocol: for the registry it
    /// answers <paramref name="answer"/> (null: the real credentials); for anything else, "not found".
    /// <paramref name="fail"/>: it exits 1 with that text, whatever is asked.
    /// </summary>
    public static string Helper(string? answer = null, string? fail = null)
    {
        var name = "volumegen" + Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(HelperFolder.Value, "docker-credential-" + name);
        answer ??= $$"""{"ServerURL":"{{Address}}","Username":"{{User}}","Secret":"{{Password}}"}""";
        var body = fail is not null
            ? $"echo '{fail}'; exit 1"
            : $"read -r server\n[ \"$server\" = '{Address}' ] || {{ echo 'credentials not found in native keychain'; exit 1; }}\necho '{answer}'";
        File.WriteAllText(path, $"#!/bin/sh\n[ \"$1\" = get ] || exit 3\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
        return name;
    }

    /// <summary>Runner options reading credentials from <paramref name="dockerConfig"/> (and <paramref name="credentials"/>) only.</summary>
    public static IsolatedVolumeOptions Options(
        string dockerConfig, ImagePullPolicy policy = ImagePullPolicy.IfMissing, Microsoft.Extensions.Logging.ILoggerFactory? logs = null,
        TimeSpan? inactivity = null, IReadOnlyDictionary<string, RegistryCredential>? credentials = null) =>
        new()
        {
            DockerConfig = dockerConfig,
            PullPolicy = policy,
            LoggerFactory = logs,
            TransferInactivityTimeout = inactivity ?? TimeSpan.FromSeconds(20),
            RegistryCredentials = credentials,
        };

    /// <summary>
    /// Pushes a busybox image whose <c>/bin/version</c> prints <paramref name="version"/> as
    /// <paramref name="repository"/>:<paramref name="tag"/>, then removes it from the engine. Returns its registry
    /// digest. <paramref name="keepEngineImage"/>: the engine's image of that reference (an earlier pull) is that
    /// reference again afterwards, as if someone else had pushed.
    /// </summary>
    public static async Task<string> PushAsync(string repository, string tag, string version, bool keepEngineImage = false)
    {
        var client = await DockerEngine.ClientAsync();
        var name = $"{Address}/{repository}";
        var kept = keepEngineImage ? (await client.Images.InspectImageAsync($"{name}:{tag}")).ID : null;
        if (kept is not null)
        {
            // A second name, so that removing the tag below only untags it.
            await client.Images.TagImageAsync(kept, new ImageTagParameters { RepositoryName = name, Tag = "kept" });
        }

        await RemoveAsync($"{name}:{tag}"); // an image of that name on the engine would be pushed instead of a new one
        var image = BusyboxImage.WithBusybox(new LocalImage($"{name}:{tag}"))
            .AddText("/bin/version", $"#!/bin/sh\necho {version}\n", (UnixFileMode)0b111_101_101)
            .WithChange("ENV PATH=/bin");
        await image.EnsureAsync(client);
        var errors = new List<string>();
        await client.Images.PushImageAsync($"{name}:{tag}", new ImagePushParameters(),
            new AuthConfig { Username = User, Password = Password, ServerAddress = Address },
            new ImmediateProgress<JSONMessage>(m =>
            {
                if (m.Error is not null)
                {
                    errors.Add(m.Error.Message ?? "unknown error");
                }
            }));
        Assert.Empty(errors);
        var digest = await DigestAsync(repository, tag);
        await RemoveAsync($"{name}:{tag}");
        if (kept is not null)
        {
            await client.Images.TagImageAsync(kept, new ImageTagParameters { RepositoryName = name, Tag = tag });
            await client.Images.DeleteImageAsync($"{name}:kept", new ImageDeleteParameters());
        }

        return digest;
    }

    /// <summary>
    /// The digest the registry serves <paramref name="repository"/>:<paramref name="tag"/> under (its
    /// <c>Docker-Content-Digest</c>): what a user pins, whatever the pushing engine noted locally.
    /// </summary>
    public static async Task<string> DigestAsync(string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"https://{Address}/v2/{repository}/manifests/{tag}");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        foreach (var type in new[] { "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.index.v1+json" })
        {
            request.Headers.Accept.Add(new(type));
        }

        using var response = await Http.Value.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>A client that trusts the registry's CA only.</summary>
    private static readonly Lazy<HttpClient> Http = new(() =>
    {
        var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(CaFile));
        return new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        });
    });

    /// <summary>Removes an image reference from the engine (the image goes when nothing else names it).</summary>
    public static async Task RemoveAsync(string reference)
    {
        var client = await DockerEngine.ClientAsync();
        try
        {
            await client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
        }
        catch (DockerImageNotFoundException)
        {
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>A repository of one test: nothing else pushes or pulls it.</summary>
    public static string NewRepository(string what) => $"tests/{what}-{Guid.NewGuid():N}";

    private static string Setting(string name) => Settings.Value.TryGetValue(name, out var value)
        ? value
        : throw new InvalidOperationException($"{name} is not set: start the test registry with scripts/registry.sh start (scripts/test.sh does), which writes /tmp/volumegen-registry/env.");
}
