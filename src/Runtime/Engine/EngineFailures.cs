using System.Net.Sockets;
using System.Security.Authentication;
using Docker.DotNet;

namespace VolumeGen.Engine;

/// <summary>
/// Turns what a first request to an engine threw (an <see cref="HttpRequestException"/> around a
/// <see cref="SocketException"/>, an <see cref="AuthenticationException"/>, a 400 from a TLS port...)
/// into one <see cref="EngineUnavailableException"/> whose cause a person can act on.
/// </summary>
internal static class EngineFailures
{
    public static EngineUnavailableException Explain(EngineEndpoint endpoint, EngineTlsAuth? tls, Exception failure)
    {
        var chain = Flatten(failure).ToList();
        var uri = endpoint.Uri;
        var socketPath = uri.Scheme == "unix" ? uri.AbsolutePath : null;
        var cause =
            tls?.LastRefusal ??
            (chain.OfType<DockerApiException>().Any(e => e.ResponseBody?.Contains("HTTP request to an HTTPS server", StringComparison.OrdinalIgnoreCase) == true)
                ? "the engine speaks TLS and this connection does not: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (or the options' TlsVerify and TlsCertPath)"
                : null) ??
            (socketPath is not null && !File.Exists(socketPath) ? $"there is no socket at {socketPath}" : null) ??
            (chain.OfType<SocketException>().FirstOrDefault() is { } socket ? Describe(socket, socketPath) : null) ??
            (chain.Any(e => e is AuthenticationException) || (tls is not null && chain.Any(e => e is IOException))
                ? tls is null
                    ? "the TLS handshake failed"
                    : "the TLS handshake failed: the engine refused the client certificate (cert.pem), or does not speak TLS"
                : null) ??
            (chain.Any(e => e is OperationCanceledException or TimeoutException)
                ? $"no answer within {DockerApi.UncancellableCallTimeout.TotalSeconds:0} s"
                : failure.Message);
        return new EngineUnavailableException(uri.ToString(), cause, failure);
    }

    private static string Describe(SocketException socket, string? socketPath) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused when socketPath is not null => $"nothing listens on {socketPath}",
        SocketError.ConnectionRefused => "the connection was refused: nothing listens there",
        SocketError.AccessDenied => $"this user may not use {socketPath ?? "it"} (root, or a member of the socket's group, may)",
        SocketError.HostNotFound or SocketError.NoData => "the host name does not resolve",
        SocketError.TimedOut => "the connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "the network or host is unreachable",
        _ => socket.Message,
    };

    private static IEnumerable<Exception> Flatten(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
