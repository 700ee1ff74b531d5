using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using VolumeGen.Observability;

namespace VolumeGen;

/// <summary>
/// VolumeGen's metrics (<see cref="System.Diagnostics.Metrics"/>, meter <see cref="MeterName"/>),
/// named and united as OpenTelemetry's semantic conventions ask (dotted lowercase names, UCUM units:
/// seconds, bytes, <c>{run}</c>). Recorded where the matching log line is written; tags stay
/// low-cardinality (no tenant, run or volume names: those are in the traces and logs). The meter
/// comes from <see cref="DockerConnectionOptions.MeterFactory"/> when one is set (VolumeGen.Hosting
/// sets the host's), so a host's listeners and tests see only their own measurements; without one,
/// from one meter of the process.
/// </summary>
public static class VolumeGenMetrics
{
    /// <summary>The <see cref="Meter"/> name to listen to (OpenTelemetry: <c>AddMeter("VolumeGen")</c>).</summary>
    public const string MeterName = "VolumeGen";

    private static readonly string? Version = typeof(VolumeGenMetrics).Assembly.GetName().Version?.ToString();

    private static readonly VolumeGenInstruments Shared = new(new Meter(MeterName, Version));

    // One set of instruments per factory (a factory hands out one meter per name and version anyway).
    private static readonly ConditionalWeakTable<IMeterFactory, VolumeGenInstruments> ByFactory = [];

    /// <summary>The instruments <paramref name="meterFactory"/> makes (<see cref="DockerConnectionOptions.MeterFactory"/>), or the process's own.</summary>
    internal static VolumeGenInstruments For(IMeterFactory? meterFactory) =>
        meterFactory is { } factory
            ? ByFactory.GetValue(factory, f => new VolumeGenInstruments(f.Create(new MeterOptions(MeterName) { Version = Version })))
            : Shared;
}
