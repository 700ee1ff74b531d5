using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using VolumeGen.Hosting;
using VolumeGen.Samples.HostedWorker.Broker;

namespace VolumeGen.Samples.HostedWorker;

/// <summary>The worker's host, built the way a real worker builds it (also used by the tests).</summary>
public static class HostedWorkerApp
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        // Options from configuration (appsettings, environment VolumeGen__Endpoint, command line), validated at start.
        builder.Services.AddVolumeGen(builder.Configuration);
        builder.Services.AddTransient<PacedScanTool>();
        // The tool's image and user looked up when the host starts: the first job starts like every later one.
        builder.Services.AddVolumeGenWarmUp<PacedScanTool>();
        builder.Services.Configure<JobFolders>(builder.Configuration.GetSection("Jobs"));
        // Jobs from a folder (the default: the main job needs no broker) or from RabbitMQ (a fleet).
        if (string.Equals(builder.Configuration["Jobs:Source"], "Broker", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.Configure<BrokerSettings>(builder.Configuration.GetSection("Broker"));
            builder.Services.AddHostedService<BrokerJobWorker>();
        }
        else
        {
            builder.Services.AddHostedService<ScanJobWorker>();
        }

        builder.Services.AddHealthChecks().AddVolumeGen();
        builder.Services.Configure<HealthCheckPublisherOptions>(o => (o.Delay, o.Period) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));
        builder.Services.AddSingleton<IHealthCheckPublisher>(new HealthFilePublisher(builder.Configuration["Health:File"] ?? "health.json"));

        // Traces of every Docker step and VolumeGen's metrics, to the console (swap in OTLP for a collector).
        if (builder.Configuration.GetValue("Telemetry:Console", true))
        {
            builder.Services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddSource(VolumeGenTelemetry.SourceName).AddConsoleExporter())
                .WithMetrics(metrics => metrics.AddMeter(VolumeGenMetrics.MeterName).AddConsoleExporter());
        }

        // Runs in flight need time to remove their volumes: more than the default 30 s is not needed.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        return builder;
    }
}
