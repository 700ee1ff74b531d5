using Docker.DotNet;
using Microsoft.Extensions.Logging;

namespace VolumeGen;

/// <summary>How VolumeGen reaches the Docker Engine, logs, and labels what it creates.</summary>
public class DockerConnectionOptions
{
    /// <summary>The default label prefix; every label key starts with it.</summary>
    public const string DefaultLabelPrefix = "io.volumegen";

    /// <summary>
    /// A client to use as is (its API version is the caller's choice). When null, VolumeGen builds
    /// one for <see cref="Endpoint"/> and negotiates the API version with the daemon.
    /// </summary>
    public IDockerClient? DockerClient { get; init; }

    /// <summary>
    /// The Docker endpoint, e.g. <c>unix:///var/run/docker.sock</c>. Null means <c>DOCKER_HOST</c>
    /// when set, else the local socket.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>
    /// The endpoint these options connect to: <see cref="Endpoint"/>, else <c>DOCKER_HOST</c> when it
    /// is set and not empty, else <c>unix:///var/run/docker.sock</c>. The one place this is decided.
    /// </summary>
    public Uri ResolvedEndpoint => Endpoint ?? VolumeGen.Engine.DockerConnections.DefaultEndpoint;

    /// <summary>
    /// How long an ordinary Engine API call may take (inspect, create, remove...). Archive uploads and
    /// downloads are not bounded by it: they fail when no byte moves for
    /// <see cref="IsolatedVolumeOptions.TransferInactivityTimeout"/>, however long they take in all.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Where log messages go; null means nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

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
