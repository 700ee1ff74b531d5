using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using VolumeGen.Hosting;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>The VolumeGen meter, read with a <see cref="MeterListener"/> while a real run goes through the engine.</summary>
public class MetricsTests
{
    /// <summary>One measurement; <paramref name="Scope"/> is the meter's (the IMeterFactory that made it, or null).</summary>
    private sealed record Measurement(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags, object? Scope);

    [Fact]
    public async Task A_run_is_measured_runs_durations_bytes_and_phases_with_units()
    {
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var recorded = new ConcurrentQueue<Measurement>();
        using var listener = Listen(recorded);

        await Tools.Runner.RunToolAsync(ScriptRequests.Script(tenant, "metrics", "cp /inputs/in.txt /outputs/out.txt").WithOutputs(new TextOutputFile("out.txt")) with
        {
            Inputs = [VolumeFile.FromText("in.txt", "twelve bytes")],
        });

        // Other tests run in this process too: each assertion looks for this run's kind of measurement.
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.tool.runs", Unit: "{run}", Value: 1 } && (string?)m.Tags["outcome"] == "exited");
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.tool.run.duration", Unit: "s", Value: > 0 } && (string?)m.Tags["outcome"] == "exited");
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.tool.runs.active", Value: 1 });
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.tool.runs.active", Value: -1 });
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.volume.io", Unit: "By", Value: >= 12 } && (string?)m.Tags["direction"] == "in");
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.volume.io", Unit: "By", Value: >= 12 } && (string?)m.Tags["direction"] == "out");
        foreach (var phase in new[] { "initialize", "read", "cleanup" })
        {
            Assert.Contains(recorded, m => m is { Instrument: "volumegen.volume.phase.duration", Unit: "s" } && (string?)m.Tags["phase"] == phase);
        }

        Assert.DoesNotContain(recorded, m => m.Tags.Keys.Any(k => k is "tenant" or "run" or "volume")); // low cardinality
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_pull_is_measured_pulls_duration_bytes_and_pulls_in_flight()
    {
        var repository = Registry.TestRegistry.NewRepository("metrics");
        await Registry.TestRegistry.PushAsync(repository, "1", "one");
        var recorded = new ConcurrentQueue<Measurement>();
        using var listener = Listen(recorded);
        var tenant = DockerEngine.NewTenant();
        var runner = new ContainerToolRunner(Registry.TestRegistry.Options(Registry.TestRegistry.ConfigFolder(Registry.TestRegistry.AuthsConfig())));

        await runner.RunToolAsync(new ToolRunRequest(
            new ToolDefinition(new ToolRunSpec($"{Registry.TestRegistry.Address}/{repository}:1") { Entrypoint = ["/bin/sh", "-c"], Command = ["version"] }),
            tenant,
            "metrics"));

        Assert.Contains(recorded, m => m is { Instrument: "volumegen.image.pulls", Unit: "{pull}", Value: 1 } && (string?)m.Tags["outcome"] == "pulled");
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.image.pull.duration", Unit: "s", Value: > 0 } && (string?)m.Tags["outcome"] == "pulled");
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.image.pulls.active", Value: 1 });
        Assert.Contains(recorded, m => m is { Instrument: "volumegen.image.pull.io", Unit: "By", Value: > 0 });
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_hosts_meter_factory_makes_the_meter_its_runs_are_measured_on()
    {
        // AddVolumeGen in a Generic Host: the runner measures on a meter of the host's IMeterFactory
        // (its Scope), so a host's collectors and a test's MetricCollector see that host's runs only.
        var tenant = DockerEngine.NewTenant();
        await DockerEngine.ClientAsync();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddVolumeGen(builder.Configuration);
        using var host = builder.Build();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var recorded = new ConcurrentQueue<Measurement>();
        using var listener = Listen(recorded);

        await host.Services.GetRequiredService<ContainerToolRunner>().RunAsync(new ToolRunSpec(BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = ["true"],
            TenantId = tenant,
            RunId = "host-meter",
        });
        await Tools.Runner.RunAsync(new ToolRunSpec(BusyboxImage.Name) { Entrypoint = ["/bin/sh", "-c"], Command = ["true"], TenantId = tenant, RunId = "process-meter" });

        var runs = recorded.Where(m => m.Instrument == "volumegen.tool.runs").ToList();
        Assert.Contains(runs, m => ReferenceEquals(m.Scope, factory));
        Assert.Contains(runs, m => m.Scope is null); // a runner without a factory: the process's meter
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    /// <summary>Every VolumeGen measurement from now on, into <paramref name="recorded"/>.</summary>
    private static MeterListener Listen(ConcurrentQueue<Measurement> recorded)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == VolumeGenMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => recorded.Enqueue(new(i.Name, i.Unit, value, Tags(tags), i.Meter.Scope)));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => recorded.Enqueue(new(i.Name, i.Unit, value, Tags(tags), i.Meter.Scope)));
        listener.Start();
        return listener;
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            all[key] = value;
        }

        return all;
    }
}
