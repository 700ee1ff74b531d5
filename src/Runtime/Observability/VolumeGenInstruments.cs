using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VolumeGen.Observability;

/// <summary>VolumeGen's instruments on one meter.</summary>
internal sealed class VolumeGenInstruments(Meter meter)
{
    /// <summary>
    /// Bucket bounds of the duration histograms, in seconds: OpenTelemetry's defaults are meant for
    /// milliseconds (0, 5, 10, 25...), which would put every run and phase in one bucket.
    /// </summary>
    private static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    private readonly Counter<long> _runs = meter.CreateCounter<long>(
        "volumegen.tool.runs", "{run}", "Tool runs, by outcome (exited, timed_out, failed).");

    private readonly Histogram<double> _runDuration = meter.CreateHistogram<double>(
        "volumegen.tool.run.duration", "s", "Time from the tool container's start to its exit or kill, by outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private readonly UpDownCounter<long> _activeRuns = meter.CreateUpDownCounter<long>(
        "volumegen.tool.runs.active", "{run}", "Tool runs in flight in this process.");

    private readonly Histogram<double> _phaseDuration = meter.CreateHistogram<double>(
        "volumegen.volume.phase.duration", "s", "Time of a volume lifecycle phase (initialize, read, cleanup).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private readonly Counter<long> _transferred = meter.CreateCounter<long>(
        "volumegen.volume.io", "By", "Bytes written into volumes (direction=in) and read back out of them (direction=out).");

    private readonly Counter<long> _cleanupFailures = meter.CreateCounter<long>(
        "volumegen.volume.cleanup.failures", "{volume}", "Volumes that could not be removed (left for the sweeper).");

    private readonly UpDownCounter<long> _queuedCleanups = meter.CreateUpDownCounter<long>(
        "volumegen.volume.cleanup.queued", "{volume}", "Volumes waiting for (or in) background removal.");

    private readonly Counter<long> _swept = meter.CreateCounter<long>(
        "volumegen.sweeper.removed", "{resource}", "Orphaned volumes and containers the sweeper removed, by kind.");

    private readonly Counter<long> _pulls = meter.CreateCounter<long>(
        "volumegen.image.pulls", "{pull}", "Image pulls, by outcome (pulled, failed).");

    private readonly Histogram<double> _pullDuration = meter.CreateHistogram<double>(
        "volumegen.image.pull.duration", "s", "Time of an image pull, by outcome.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private readonly UpDownCounter<long> _activePulls = meter.CreateUpDownCounter<long>(
        "volumegen.image.pulls.active", "{pull}", "Image pulls in flight in this process (runs waiting for the same image share one).");

    private readonly Counter<long> _pulledBytes = meter.CreateCounter<long>(
        "volumegen.image.pull.io", "By", "Layer bytes downloaded by image pulls, as the engine reports its progress.");

    internal void PullStarted() => _activePulls.Add(1);

    internal void PullEnded(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _activePulls.Add(-1);
        _pulls.Add(1, tag);
        _pullDuration.Record(duration.TotalSeconds, tag);
    }

    internal void BytesPulled(long bytes) => _pulledBytes.Add(bytes);

    internal void RunStarted() => _activeRuns.Add(1);

    internal void CleanupQueued(int change) => _queuedCleanups.Add(change);

    /// <summary>A run ended: <paramref name="outcome"/> is exited, timed_out or failed (cancellation and errors).</summary>
    internal void RunEnded(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _activeRuns.Add(-1);
        _runs.Add(1, tag);
        _runDuration.Record(duration.TotalSeconds, tag);
    }

    internal void Phase(string phase, TimeSpan duration) =>
        _phaseDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("phase", phase));

    internal void BytesIn(long bytes) => _transferred.Add(bytes, new KeyValuePair<string, object?>("direction", "in"));

    internal void BytesOut(long bytes) => _transferred.Add(bytes, new KeyValuePair<string, object?>("direction", "out"));

    internal void CleanupFailed() => _cleanupFailures.Add(1);

    internal void SweptResource(string kind) => _swept.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Times a phase from here to disposal.</summary>
    internal PhaseTimer Time(string phase) => new(this, phase, Stopwatch.GetTimestamp());

    internal readonly struct PhaseTimer(VolumeGenInstruments instruments, string phase, long started) : IDisposable
    {
        public void Dispose() => instruments.Phase(phase, Stopwatch.GetElapsedTime(started));
    }
}
