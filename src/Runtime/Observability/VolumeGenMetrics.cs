using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VolumeGen;

/// <summary>
/// VolumeGen's metrics (<see cref="System.Diagnostics.Metrics"/>, meter <see cref="MeterName"/>),
/// named and united as OpenTelemetry's semantic conventions ask (dotted lowercase names, UCUM units:
/// seconds, bytes, <c>{run}</c>). Recorded where the matching log line is written; tags stay
/// low-cardinality (no tenant, run or volume names: those are in the traces and logs).
/// </summary>
public static class VolumeGenMetrics
{
    /// <summary>The <see cref="Meter"/> name to listen to (OpenTelemetry: <c>AddMeter("VolumeGen")</c>).</summary>
    public const string MeterName = "VolumeGen";

    private static readonly Meter Meter = new(MeterName, typeof(VolumeGenMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>(
        "volumegen.tool.runs", "{run}", "Tool runs, by outcome (exited, timed_out, failed).");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "volumegen.tool.run.duration", "s", "Time from the tool container's start to its exit or kill, by outcome.");

    private static readonly UpDownCounter<long> ActiveRuns = Meter.CreateUpDownCounter<long>(
        "volumegen.tool.runs.active", "{run}", "Tool runs in flight in this process.");

    private static readonly Histogram<double> PhaseDuration = Meter.CreateHistogram<double>(
        "volumegen.volume.phase.duration", "s", "Time of a volume lifecycle phase (initialize, read, cleanup).");

    private static readonly Counter<long> Transferred = Meter.CreateCounter<long>(
        "volumegen.volume.io", "By", "Bytes written into volumes (direction=in) and read back out of them (direction=out).");

    private static readonly Counter<long> CleanupFailures = Meter.CreateCounter<long>(
        "volumegen.volume.cleanup.failures", "{volume}", "Volumes that could not be removed (left for the sweeper).");

    private static readonly UpDownCounter<long> QueuedCleanups = Meter.CreateUpDownCounter<long>(
        "volumegen.volume.cleanup.queued", "{volume}", "Volumes waiting for (or in) background removal.");

    private static readonly Counter<long> Swept = Meter.CreateCounter<long>(
        "volumegen.sweeper.removed", "{resource}", "Orphaned volumes and containers the sweeper removed, by kind.");

    internal static void RunStarted() => ActiveRuns.Add(1);

    internal static void CleanupQueued(int change) => QueuedCleanups.Add(change);

    /// <summary>A run ended: <paramref name="outcome"/> is exited, timed_out or failed (cancellation and errors).</summary>
    internal static void RunEnded(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        ActiveRuns.Add(-1);
        Runs.Add(1, tag);
        RunDuration.Record(duration.TotalSeconds, tag);
    }

    internal static void Phase(string phase, TimeSpan duration) =>
        PhaseDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("phase", phase));

    internal static void BytesIn(long bytes) => Transferred.Add(bytes, new KeyValuePair<string, object?>("direction", "in"));

    internal static void BytesOut(long bytes) => Transferred.Add(bytes, new KeyValuePair<string, object?>("direction", "out"));

    internal static void CleanupFailed() => CleanupFailures.Add(1);

    internal static void SweptResource(string kind) => Swept.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Times a phase from here to disposal.</summary>
    internal static PhaseTimer Time(string phase) => new(phase, Stopwatch.GetTimestamp());

    internal readonly struct PhaseTimer(string phase, long started) : IDisposable
    {
        public void Dispose() => Phase(phase, Stopwatch.GetElapsedTime(started));
    }
}
