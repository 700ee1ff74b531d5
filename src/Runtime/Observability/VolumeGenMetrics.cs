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

    /// <summary>
    /// Bucket bounds of the duration histograms, in seconds: OpenTelemetry's defaults are meant for
    /// milliseconds (0, 5, 10, 25...), which would put every run and phase in one bucket.
    /// </summary>
    private static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    private static readonly Meter Meter = new(MeterName, typeof(VolumeGenMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>(
        "volumegen.tool.runs", "{run}", "Tool runs, by outcome (exited, timed_out, failed).");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "volumegen.tool.run.duration", "s", "Time from the tool container's start to its exit or kill, by outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly UpDownCounter<long> ActiveRuns = Meter.CreateUpDownCounter<long>(
        "volumegen.tool.runs.active", "{run}", "Tool runs in flight in this process.");

    private static readonly Histogram<double> PhaseDuration = Meter.CreateHistogram<double>(
        "volumegen.volume.phase.duration", "s", "Time of a volume lifecycle phase (initialize, read, cleanup).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Counter<long> Transferred = Meter.CreateCounter<long>(
        "volumegen.volume.io", "By", "Bytes written into volumes (direction=in) and read back out of them (direction=out).");

    private static readonly Counter<long> CleanupFailures = Meter.CreateCounter<long>(
        "volumegen.volume.cleanup.failures", "{volume}", "Volumes that could not be removed (left for the sweeper).");

    private static readonly UpDownCounter<long> QueuedCleanups = Meter.CreateUpDownCounter<long>(
        "volumegen.volume.cleanup.queued", "{volume}", "Volumes waiting for (or in) background removal.");

    private static readonly Counter<long> Swept = Meter.CreateCounter<long>(
        "volumegen.sweeper.removed", "{resource}", "Orphaned volumes and containers the sweeper removed, by kind.");

    private static readonly Counter<long> Pulls = Meter.CreateCounter<long>(
        "volumegen.image.pulls", "{pull}", "Image pulls, by outcome (pulled, failed).");

    private static readonly Histogram<double> PullDuration = Meter.CreateHistogram<double>(
        "volumegen.image.pull.duration", "s", "Time of an image pull, by outcome.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly UpDownCounter<long> ActivePulls = Meter.CreateUpDownCounter<long>(
        "volumegen.image.pulls.active", "{pull}", "Image pulls in flight in this process (runs waiting for the same image share one).");

    private static readonly Counter<long> PulledBytes = Meter.CreateCounter<long>(
        "volumegen.image.pull.io", "By", "Layer bytes downloaded by image pulls, as the engine reports its progress.");

    internal static void PullStarted() => ActivePulls.Add(1);

    internal static void PullEnded(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        ActivePulls.Add(-1);
        Pulls.Add(1, tag);
        PullDuration.Record(duration.TotalSeconds, tag);
    }

    internal static void BytesPulled(long bytes) => PulledBytes.Add(bytes);

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
