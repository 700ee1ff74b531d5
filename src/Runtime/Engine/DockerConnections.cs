using Docker.DotNet;
using VersionResponse = Docker.DotNet.Models.VersionResponse;

namespace VolumeGen.Engine;

/// <summary>
/// Builds one negotiated pair of clients per endpoint and shares it (Docker.DotNet clients are
/// thread-safe and hold an HTTP connection pool, so a client per operation would waste sockets):
/// one for ordinary calls, bounded by <see cref="DockerConnectionOptions.RequestTimeout"/>, and one
/// for archive transfers, which has no total timeout (a slow but moving 1 GiB upload must not fail
/// at 100 s) because every transfer is bounded by inactivity instead (<see cref="Archives.TransferWatchdog"/>).
/// The endpoint is found by <see cref="EngineEndpoints"/>; an endpoint that cannot be used is an
/// <see cref="EngineUnavailableException"/> saying why (<see cref="EngineFailures"/>).
/// </summary>
internal static class DockerConnections
{
    /// <summary>The oldest Engine API VolumeGen speaks (Docker 20.10; the archive and mount APIs it needs).</summary>
    public static readonly Version MinimumApiVersion = new(1, 41);

    /// <summary>The newest Engine API the bundled Docker.DotNet models describe.</summary>
    public static readonly Version MaximumApiVersion = new(1, 52);

    // A daemon that was down must not stay "down" for this process: a failure is not remembered.
    private static readonly SingleFlight<(Uri Endpoint, string? CertPath, TimeSpan RequestTimeout), DockerApi> Clients = new(keepResults: true);

    /// <summary>The engine API for <paramref name="options"/>: over its own client when it brings one, else the shared, negotiated one.</summary>
    public static Task<DockerApi> GetApiAsync(DockerConnectionOptions options, CancellationToken cancellationToken)
    {
        if (options.DockerClient is { } given)
        {
            return Task.FromResult(DockerApi.For(given));
        }

        var endpoint = EngineEndpoints.Resolve(options);
        return Clients.GetAsync((endpoint.Uri, endpoint.Tls?.CertPath, options.RequestTimeout), key => ConnectAsync(endpoint, key.RequestTimeout), cancellationToken);
    }

    /// <summary>Picks the highest API version both sides support, or explains why there is none.</summary>
    /// <exception cref="EngineUnavailableException">No common version (not transient: another engine or VolumeGen version is needed).</exception>
    public static Version Negotiate(string endpoint, Version daemonMax, Version? daemonMin)
    {
        var chosen = daemonMax < MaximumApiVersion ? daemonMax : MaximumApiVersion;
        if (chosen < MinimumApiVersion || (daemonMin is not null && chosen < daemonMin))
        {
            throw new EngineUnavailableException(endpoint, $"there is no common Docker Engine API version: the daemon supports {daemonMin?.ToString() ?? "?"}..{daemonMax}, " +
                $"VolumeGen supports {MinimumApiVersion}..{MaximumApiVersion}", isTransient: false);
        }

        return chosen;
    }

    private static async Task<DockerApi> ConnectAsync(EngineEndpoint endpoint, TimeSpan requestTimeout)
    {
        var tls = endpoint.Tls is { } settings ? EngineTlsAuth.Load(settings, endpoint.Uri.ToString()) : null;
        DockerClientBuilder Builder() => tls is null
            ? new DockerClientBuilder().WithEndpoint(endpoint.Uri)
            : new DockerClientBuilder().WithEndpoint(endpoint.Uri).WithAuthProvider(tls.Credentials());
        Version chosen;
        // /version is answered without a version prefix, so ask before choosing one.
        using (var probe = Builder().Build())
        {
            VersionResponse version;
            // Bounded: a socket that accepts but never answers fails here instead of hanging every caller.
            using var timeout = new CancellationTokenSource(DockerApi.UncancellableCallTimeout);
            try
            {
                version = await probe.System.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw EngineFailures.Explain(endpoint, tls, e);
            }

            chosen = Negotiate(endpoint.Uri.ToString(), Version.Parse(version.APIVersion), ParseOrNull(version.MinAPIVersion));
        }

        return new DockerApi(
            Builder().WithApiVersion(chosen).WithTimeout(requestTimeout).Build(),
            Builder().WithApiVersion(chosen).WithTimeout(Timeout.InfiniteTimeSpan).Build())
        {
            NegotiatedApiVersion = chosen,
        };
    }

    private static Version? ParseOrNull(string? value) => Version.TryParse(value, out var v) ? v : null;
}
