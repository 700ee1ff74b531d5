using System.Runtime.CompilerServices;
using Docker.DotNet;

namespace VolumeGen.Engine;

/// <summary>
/// Every call VolumeGen makes to the Docker Engine API, and the one place Docker.DotNet's client is
/// used (as testcontainers-dotnet keeps its engine calls in one layer): the lifecycle above speaks in
/// volume names, container IDs, labels and archive streams. Podman is served through its
/// Docker-compatible API; what differs between the two is measured in <see cref="EngineProfile"/>.
/// Two clients over one endpoint: ordinary calls bounded by the request timeout, transfers by
/// inactivity only (a slow but moving 1 GiB upload must not fail at 100 s).
/// </summary>
internal sealed partial class DockerApi(IDockerClient calls, IDockerClient transfers)
{
    /// <summary>How long a create or remove call may take: those are not aborted by the caller's token.</summary>
    public static readonly TimeSpan UncancellableCallTimeout = TimeSpan.FromSeconds(30);

    private static readonly ConditionalWeakTable<IDockerClient, DockerApi> GivenClients = new();

    /// <summary>
    /// The API over a caller's own client (<see cref="DockerConnectionOptions.DockerClient"/>), one
    /// per client, so that what is cached per engine (profile, helper image, users) is shared.
    /// </summary>
    public static DockerApi For(IDockerClient client) => GivenClients.GetValue(client, c => new DockerApi(c, c));

    /// <summary>The API version negotiated with the daemon; null over a caller's own client (its version is the caller's choice).</summary>
    public Version? NegotiatedApiVersion { get; init; }

    /// <summary>The client for ordinary calls (the connection's public face, <see cref="DockerConnectionOptions.ConnectAsync"/>).</summary>
    public IDockerClient Client => calls;
}
