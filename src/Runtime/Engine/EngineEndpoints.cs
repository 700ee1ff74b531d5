using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VolumeGen.Engine;

/// <summary>TLS to an engine: the folder holding <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c> (the docker CLI's layout), always verified.</summary>
internal sealed record EngineTls(string CertPath);

/// <summary>Where the engine is, whether TLS reaches it, and why this endpoint: what <c>volumegen doctor</c> reports.</summary>
internal sealed record EngineEndpoint(Uri Uri, EngineTls? Tls, string Reason);

/// <summary>
/// Finds the engine the way the docker CLI finds it, one precedence for the library, the hosting
/// layer and the CLI: the options' <c>Endpoint</c>, else <c>DOCKER_HOST</c>, else a context (the
/// options' <c>Context</c>, else <c>DOCKER_CONTEXT</c>, else <c>currentContext</c> in
/// <c>$DOCKER_CONFIG/config.json</c>, <c>~/.docker</c> by default), else the first local socket that
/// exists: Docker's, rootless Docker's, Podman's (rootful, then rootless). TLS for a <c>tcp://</c>
/// endpoint as the CLI takes it: <c>DOCKER_TLS_VERIFY</c> (any non-empty value) with
/// <c>DOCKER_CERT_PATH</c> (default: the config folder), or a context's TLS folder; the options'
/// <c>TlsVerify</c> and <c>TlsCertPath</c> override both variables. TLS without verification is
/// refused: an engine is root on its host, and its identity is the one thing not to guess.
/// </summary>
internal static class EngineEndpoints
{
    public static EngineEndpoint Resolve(DockerConnectionOptions options) => Resolve(options, Environment.GetEnvironmentVariable);

    /// <param name="options">The options' endpoint, context and TLS settings.</param>
    /// <param name="env">The environment (tests pass their own).</param>
    /// <param name="exists">Whether a local socket exists (tests pass their own; default: the file system).</param>
    /// <exception cref="EngineUnavailableException">The settings name no usable endpoint.</exception>
    internal static EngineEndpoint Resolve(DockerConnectionOptions options, Func<string, string?> env, Func<string, bool>? exists = null)
    {
        var configFolder = DockerConfigFolder.Of(options, env);
        if (options.Endpoint is { } endpoint)
        {
            return WithTls(endpoint, options, env, configFolder, "the options' Endpoint");
        }

        if (Set(env("DOCKER_HOST")) is { } host)
        {
            return WithTls(Parse(host, "DOCKER_HOST"), options, env, configFolder, "DOCKER_HOST");
        }

        var (context, source) = Set(options.Context) is { } named ? (named, "the options' Context")
            : Set(env("DOCKER_CONTEXT")) is { } variable ? (variable, "DOCKER_CONTEXT")
            : CurrentContext(configFolder) is { } current ? (current, $"currentContext in {DockerConfigFolder.ConfigFile(configFolder)}")
            : (null, null);
        // "default" is the CLI's name for "no context": DOCKER_HOST (unset here) or the local socket.
        return context is null or "default"
            ? LocalSocket(env, exists ?? File.Exists, context is null ? "" : $"{source} names the default context; ")
            : FromContext(context, source!, configFolder);
    }

    private static string? Set(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Uri Parse(string host, string source) =>
        Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "http" or "https"
            ? uri
            : throw new EngineUnavailableException(host, $"{source} is not an engine address VolumeGen can use (unix:///path or tcp://host:port)");

    /// <summary>TLS applies to network endpoints only, as in the CLI.</summary>
    private static EngineEndpoint WithTls(Uri uri, DockerConnectionOptions options, Func<string, string?> env, string configFolder, string source)
    {
        if (uri.Scheme == "unix")
        {
            return new EngineEndpoint(uri, null, $"{source} says {uri}");
        }

        var verify = options.TlsVerify ?? Set(env("DOCKER_TLS_VERIFY")) is not null;
        if (!verify && (options.TlsVerify is null && Set(env("DOCKER_TLS")) is not null))
        {
            throw new EngineUnavailableException(uri.ToString(), "DOCKER_TLS asks for TLS without verifying the engine's certificate, which VolumeGen refuses; set DOCKER_TLS_VERIFY=1");
        }

        var certPath = Set(options.TlsCertPath) ?? Set(env("DOCKER_CERT_PATH")) ?? configFolder;
        return verify
            ? new EngineEndpoint(uri, new EngineTls(certPath), $"{source} says {uri}, TLS verified with {certPath}")
            : new EngineEndpoint(uri, null, $"{source} says {uri}, without TLS");
    }

    private static string? CurrentContext(string configFolder)
    {
        var config = DockerConfigFolder.ConfigFile(configFolder);
        if (!File.Exists(config))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(config));
            return document.RootElement.TryGetProperty("currentContext", out var current) && current.ValueKind == JsonValueKind.String ? Set(current.GetString()) : null;
        }
        catch (JsonException e)
        {
            throw new EngineUnavailableException(config, $"{config} is not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>The CLI's context store: <c>contexts/meta/&lt;sha256 of the name&gt;/meta.json</c> and <c>contexts/tls/&lt;same&gt;/docker/</c>.</summary>
    private static EngineEndpoint FromContext(string name, string source, string configFolder)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        var meta = Path.Combine(configFolder, "contexts", "meta", id, "meta.json");
        if (!File.Exists(meta))
        {
            throw new EngineUnavailableException($"context {name}", $"{source} names context '{name}', which {configFolder} does not hold (no {meta})");
        }

        string? host;
        bool skipVerify;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(meta));
            var docker = document.RootElement.GetProperty("Endpoints").GetProperty("docker");
            host = docker.TryGetProperty("Host", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            skipVerify = docker.TryGetProperty("SkipTLSVerify", out var s) && s.ValueKind == JsonValueKind.True;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new EngineUnavailableException($"context {name}", $"{meta} has no docker endpoint ({e.Message})", e);
        }

        var uri = Parse(host ?? "", $"context '{name}'");
        var tls = Path.Combine(configFolder, "contexts", "tls", id, "docker");
        if (uri.Scheme == "unix" || !Directory.Exists(tls))
        {
            return new EngineEndpoint(uri, null, $"{source} names context '{name}': {uri}");
        }

        return skipVerify
            ? throw new EngineUnavailableException(uri.ToString(), $"context '{name}' skips TLS verification, which VolumeGen refuses")
            : new EngineEndpoint(uri, new EngineTls(tls), $"{source} names context '{name}': {uri}, TLS verified with {tls}");
    }

    /// <summary>Nothing set: the first local socket that exists, in the order users install engines.</summary>
    private static EngineEndpoint LocalSocket(Func<string, string?> env, Func<string, bool> exists, string why)
    {
        var runtime = Set(env("XDG_RUNTIME_DIR"));
        (string? Path, string What)[] candidates =
        [
            ("/var/run/docker.sock", "Docker's socket"),
            (runtime is null ? null : System.IO.Path.Combine(runtime, "docker.sock"), "rootless Docker's socket"),
            ("/run/podman/podman.sock", "Podman's socket"),
            (runtime is null ? null : System.IO.Path.Combine(runtime, "podman", "podman.sock"), "rootless Podman's socket"),
        ];
        foreach (var (path, what) in candidates)
        {
            if (path is not null && exists(path))
            {
                return new EngineEndpoint(new Uri("unix://" + path), null, $"{why}no DOCKER_HOST or context is set; {what} {path} exists");
            }
        }

        return new EngineEndpoint(new Uri("unix:///var/run/docker.sock"), null,
            $"{why}no DOCKER_HOST or context is set, and none of {string.Join(", ", candidates.Where(c => c.Path is not null).Select(c => c.Path))} exists");
    }
}
