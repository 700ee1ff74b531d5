using System.Diagnostics;
using System.Globalization;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Benchmarks;

/// <summary>
/// What TLS costs a run: the whole-run API over the local unix socket against the same runs over a
/// TLS-only engine on tcp (a docker:dind sidecar's transport: `scripts/docker-variant-engine.sh tls
/// start`), alternating, in one process. Both engines run on this machine, so the difference is the
/// transport (TCP, TLS handshakes per connection, encryption), not the daemon.
/// </summary>
internal static class TlsBenchmark
{
    public static async Task<double> RunAsync(int iterations, Uri tlsEndpoint, string certPath, Report report)
    {
        var tls = new IsolatedVolumeOptions { Endpoint = tlsEndpoint, TlsVerify = true, TlsCertPath = certPath };
        await BusyboxImage.EnsureAsync(await tls.ConnectAsync());
        var ways = new (string Name, ContainerToolRunner Runner, IsolatedVolumeOptions? Options)[]
        {
            ("unix_socket", new ContainerToolRunner(), null),
            ("tls_tcp", new ContainerToolRunner(tls), tls),
        };
        var times = ways.ToDictionary(w => w.Name, _ => new List<double>());
        for (var i = -1; i < iterations; i++)
        {
            foreach (var (name, runner, options) in ways)
            {
                var run = string.Create(CultureInfo.InvariantCulture, $"tls-bench-{i + 1}");
                var inputs = Scenario.Inputs("bench-tls", i + 1);
                var watch = Stopwatch.StartNew();
                var output = await Scenario.RunToolAsync(runner, "bench-tls", run, inputs, options);
                if (i >= 0) // the first round warms connections and caches
                {
                    times[name].Add(watch.Elapsed.TotalMilliseconds);
                }

                if (output != Scenario.Expected(inputs))
                {
                    throw new InvalidOperationException($"{name}: the run returned another tenant's or a wrong output");
                }
            }
        }

        var socket = Report.Median(times["unix_socket"]);
        var overTls = Report.Median(times["tls_tcp"]);
        report.Line(string.Create(CultureInfo.InvariantCulture, $"transport ({iterations} runs each, alternating), median ms per run: unix_socket={socket:0.0} tls_tcp={overTls:0.0}"));
        return overTls / socket;
    }
}
