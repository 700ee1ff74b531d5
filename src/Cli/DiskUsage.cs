using System.Net.Sockets;
using System.Text.Json;

namespace VolumeGen.Cli;

/// <summary>
/// Volume sizes from the daemon's <c>GET /system/df</c>. Docker.DotNet models the API 1.52 shape
/// of that response only, so this reads the JSON itself; sizes are best effort (empty when the
/// endpoint is not a unix socket or the daemon does not report them).
/// </summary>
internal static class DiskUsage
{
    public static async Task<IReadOnlyDictionary<string, long>> VolumeSizesAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.Scheme != "unix")
        {
            return new Dictionary<string, long>();
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.AbsolutePath), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("http://docker/system/df"), cancellationToken));
            var volumes = document.RootElement.TryGetProperty("Volumes", out var list) ? list
                : document.RootElement.TryGetProperty("VolumeUsage", out var usage) && usage.TryGetProperty("Items", out var items) ? items
                : default;
            return volumes.ValueKind != JsonValueKind.Array
                ? new Dictionary<string, long>()
                : volumes.EnumerateArray()
                    .Where(v => v.TryGetProperty("UsageData", out var data) && data.ValueKind == JsonValueKind.Object && data.GetProperty("Size").GetInt64() >= 0)
                    .ToDictionary(v => v.GetProperty("Name").GetString()!, v => v.GetProperty("UsageData").GetProperty("Size").GetInt64());
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or SocketException or TaskCanceledException)
        {
            return new Dictionary<string, long>();
        }
    }
}
