using System.Diagnostics.Metrics;
using Docker.DotNet;
using Microsoft.Extensions.Logging;

namespace VolumeGen;

/// <summary>How VolumeGen reaches the Docker Engine, logs, and labels what it creates.</summary>
public class DockerConnectionOptions
{
    /// <summary>The default label prefix; every label key starts with it.</summary>
    public const string DefaultLabelPrefix = "io.volumegen";

    /// <summary>Options with the defaults.</summary>
    public DockerConnectionOptions()
    {
    }

    /// <summary>A copy of <paramref name="connection"/>'s settings: the same engine, credentials, logging, metrics and labels.</summary>
    protected DockerConnectionOptions(DockerConnectionOptions connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        DockerClient = connection.DockerClient;
        Endpoint = connection.Endpoint;
        Context = connection.Context;
        TlsVerify = connection.TlsVerify;
        TlsCertPath = connection.TlsCertPath;
        DockerConfig = connection.DockerConfig;
        RequestTimeout = connection.RequestTimeout;
        TransferInactivityTimeout = connection.TransferInactivityTimeout;
        PullPolicy = connection.PullPolicy;
        RegistryCredentials = connection.RegistryCredentials;
        LoggerFactory = connection.LoggerFactory;
        MeterFactory = connection.MeterFactory;
        LabelPrefix = connection.LabelPrefix;
        AllowUnenforcedResourceLimits = connection.AllowUnenforcedResourceLimits;
    }

    /// <summary>
    /// A client to use as is (its API version is the caller's choice). When null, VolumeGen builds
    /// one for <see cref="Endpoint"/> and negotiates the API version with the daemon.
    /// </summary>
    public IDockerClient? DockerClient { get; init; }

    /// <summary>
    /// The Docker endpoint, e.g. <c>unix:///var/run/docker.sock</c> or <c>tcp://127.0.0.1:2376</c>.
    /// Null finds it as the docker CLI does (see <see cref="ResolvedEndpoint"/>).
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>
    /// A docker CLI context to take the endpoint (and TLS folder) from, as <c>docker --context</c>;
    /// used only when neither <see cref="Endpoint"/> nor <c>DOCKER_HOST</c> is set. Null:
    /// <c>DOCKER_CONTEXT</c>, else <c>currentContext</c> in <c>$DOCKER_CONFIG/config.json</c>.
    /// </summary>
    public string? Context { get; init; }

    /// <summary>
    /// Whether a <c>tcp://</c> endpoint is reached over TLS with the engine's certificate verified
    /// against <c>ca.pem</c> and the host name, presenting <c>cert.pem</c>/<c>key.pem</c>. Null:
    /// <c>DOCKER_TLS_VERIFY</c> (any non-empty value means yes, as in the docker CLI).
    /// </summary>
    public bool? TlsVerify { get; init; }

    /// <summary>The folder holding <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c>. Null: <c>DOCKER_CERT_PATH</c>, else the docker config folder (<c>~/.docker</c>).</summary>
    public string? TlsCertPath { get; init; }

    /// <summary>
    /// The docker CLI's configuration folder, where contexts, their TLS folders and registry
    /// credentials (<c>config.json</c>) are read, as <c>docker --config</c>. Null: <c>DOCKER_CONFIG</c>, else <c>~/.docker</c>.
    /// </summary>
    public string? DockerConfig { get; init; }

    /// <summary>
    /// The endpoint these options connect to, found as the docker CLI finds it, in this order:
    /// <see cref="Endpoint"/>; <c>DOCKER_HOST</c> (set and not empty); a context (<see cref="Context"/>,
    /// <c>DOCKER_CONTEXT</c>, <c>currentContext</c> in <c>$DOCKER_CONFIG/config.json</c>); else the first
    /// local socket that exists of <c>/var/run/docker.sock</c>, <c>$XDG_RUNTIME_DIR/docker.sock</c>,
    /// <c>/run/podman/podman.sock</c> and <c>$XDG_RUNTIME_DIR/podman/podman.sock</c>. The one place this is decided.
    /// </summary>
    /// <exception cref="EngineUnavailableException">The settings name no usable endpoint (an unknown context, an address that is not one, TLS without verification).</exception>
    public Uri ResolvedEndpoint => VolumeGen.Engine.EngineEndpoints.Resolve(this).Uri;

    /// <summary>
    /// How long an ordinary Engine API call may take (inspect, create, remove...). Archive uploads and
    /// downloads are not bounded by it: they fail when no byte moves for
    /// <see cref="TransferInactivityTimeout"/>, however long they take in all.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How long an upload, a download or an image pull may go without progress (a byte moved, a pull
    /// reporting a layer's progress) before it fails: <see cref="VolumeTransferStalledException"/>, or
    /// <see cref="ImagePullFailedException"/> with <see cref="ImagePullFailure.Stalled"/>. A slow but
    /// moving transfer never times out.
    /// </summary>
    public TimeSpan TransferInactivityTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// When a tool's image is pulled, for specs that do not say (<see cref="ToolRunSpec.PullPolicy"/> null).
    /// <see cref="ImagePullPolicy.IfMissing"/>: a missing image is pulled (with the credentials the docker
    /// config or <see cref="RegistryCredentials"/> give), one already on the engine is used as is. Pin
    /// images by digest so that what runs does not depend on when an engine first pulled a tag.
    /// </summary>
    public ImagePullPolicy PullPolicy { get; init; } = ImagePullPolicy.IfMissing;

    /// <summary>
    /// Credentials per registry host (<c>registry.example.com:5000</c>; <c>docker.io</c> for Docker
    /// Hub), used before anything the docker config says. Null or a host not listed: found as the
    /// docker CLI finds them in <c>$DOCKER_CONFIG/config.json</c> (<c>credHelpers</c>, <c>credsStore</c>, <c>auths</c>).
    /// </summary>
    public IReadOnlyDictionary<string, RegistryCredential>? RegistryCredentials { get; init; }

    /// <summary>Where log messages go; null means nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Where the <see cref="VolumeGenMetrics.MeterName"/> meter comes from (a host's
    /// <see cref="IMeterFactory"/>: VolumeGen.Hosting sets it); null means one meter of the process.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>The prefix of every label key (managed marker, tenant, run, creation time...).</summary>
    public string LabelPrefix { get; init; } = DefaultLabelPrefix;

    /// <summary>
    /// Whether tools may run on an engine that accepts memory and pids limits but does not enforce
    /// them (rootless Docker without cgroups): false refuses such runs with an error saying why.
    /// Defaults to the environment variable <c>VOLUMEGEN_ALLOW_UNENFORCED_LIMITS</c> (<c>1</c> or <c>true</c>).
    /// </summary>
    public bool AllowUnenforcedResourceLimits { get; init; } =
        Environment.GetEnvironmentVariable("VOLUMEGEN_ALLOW_UNENFORCED_LIMITS") is "1" or "true";

    /// <summary>The Engine API versions VolumeGen can speak; it uses the highest one the daemon also speaks.</summary>
    public static (Version Minimum, Version Maximum) SupportedApiVersions =>
        (VolumeGen.Engine.DockerConnections.MinimumApiVersion, VolumeGen.Engine.DockerConnections.MaximumApiVersion);

    /// <summary>
    /// The client VolumeGen uses for these options: <see cref="DockerClient"/> when given, else a
    /// shared client for the endpoint at the highest API version both the daemon and VolumeGen speak.
    /// </summary>
    public async Task<IDockerClient> ConnectAsync(CancellationToken cancellationToken = default) =>
        (await VolumeGen.Engine.DockerConnections.GetApiAsync(this, cancellationToken).ConfigureAwait(false)).Client;
}
