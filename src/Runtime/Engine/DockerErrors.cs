using System.Net;
using Docker.DotNet;

namespace VolumeGen.Engine;

/// <summary>Classifies Docker API failures.</summary>
internal static class DockerErrors
{
    public static bool IsNotFound(Exception e) => e is DockerApiException { StatusCode: HttpStatusCode.NotFound };

    /// <summary>Failures worth retrying: the daemon was busy, the volume still in use, the connection dropped.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        DockerApiException api => api.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.InternalServerError
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };
}
