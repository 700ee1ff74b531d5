using System.Diagnostics;

namespace VolumeGen;

/// <summary>The tracing source of VolumeGen; subscribe to <see cref="SourceName"/> to see every Docker step.</summary>
public static class VolumeGenTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name.</summary>
    public const string SourceName = "VolumeGen";

    internal static readonly ActivitySource Source = new(SourceName, typeof(VolumeGenTelemetry).Assembly.GetName().Version?.ToString());

    internal static Activity? Start(string operation, string? volumeName = null)
    {
        var activity = Source.StartActivity(operation);
        if (volumeName is not null)
        {
            activity?.SetTag("volumegen.volume", volumeName);
        }

        return activity;
    }

    internal static void Fail(this Activity? activity, Exception e) =>
        activity?.SetStatus(ActivityStatusCode.Error, e.Message);
}
