using System.Globalization;
using Docker.DotNet.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VolumeGen.Engine;
using VolumeGen.Hosting;

namespace VolumeGen.Integration.Tests.Hosting;

/// <summary>
/// <c>AddVolumeGen</c> in a real Generic Host against the real engine: configuration binding and
/// validation at start, the hosted sweeper and the health check. Each test uses a label prefix of its
/// own, so the hosted sweeper and the leftover count see only what the test made (other tests run
/// next to them on the same engine).
/// </summary>
public class HostingTests
{
    [Fact]
    public async Task Settings_come_from_configuration_and_bad_ones_stop_the_host_at_start()
    {
        using var host = Host(("VolumeGen:MaxEntries", "7"), ("VolumeGen:Sweeper:Enabled", "false"), ("VolumeGen:LabelPrefix", "io.vg-cfg"));
        var volumeOptions = host.Services.GetRequiredService<IsolatedVolumeOptions>();
        Assert.Equal((7, "io.vg-cfg"), (volumeOptions.MaxEntries, volumeOptions.LabelPrefix));
        Assert.Same(host.Services.GetRequiredService<ILoggerFactory>(), volumeOptions.LoggerFactory);
        Assert.Same(host.Services.GetRequiredService<ContainerToolRunner>(), host.Services.GetRequiredService<ContainerToolRunner>());
        using (var other = Host(("VolumeGen:Sweeper:Enabled", "false")))
        {
            Assert.NotSame(volumeOptions, other.Services.GetRequiredService<IsolatedVolumeOptions>()); // nothing static
        }

        // Registry settings: a list, because a host's port colon would split a configuration key.
        using (var registry = Host(("VolumeGen:Sweeper:Enabled", "false"), ("VolumeGen:PullPolicy", "Always"), ("VolumeGen:DockerConfig", "/run/secrets/docker"),
            ("VolumeGen:RegistryCredentials:0:Registry", "registry.example.com:5000"), ("VolumeGen:RegistryCredentials:0:Username", "ci"),
            ("VolumeGen:RegistryCredentials:0:Password", "s3cret")))
        {
            var options = registry.Services.GetRequiredService<IsolatedVolumeOptions>();
            Assert.Equal((ImagePullPolicy.Always, "/run/secrets/docker"), (options.PullPolicy, options.DockerConfig));
            var credential = options.RegistryCredentials!["REGISTRY.example.com:5000"];
            Assert.Equal(("ci", "s3cret"), (credential.Username, credential.Password));
            Assert.DoesNotContain("s3cret", credential.ToString(), StringComparison.Ordinal);
        }

        foreach (var (key, value) in new[]
        {
            ("VolumeGen:RegistryCredentials:0:Username", "no registry, no password"),
            ("VolumeGen:Sweeper:OlderThan", "00:01:00"), // could sweep a live run of another host
            ("VolumeGen:Endpoint", "/var/run/docker.sock"),
            ("VolumeGen:CleanupAttempts", "0"),
        })
        {
            using var bad = Host((key, value));
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => bad.StartAsync());
            Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
        }

        // One host's workers sharing its engine see each other's runs alive: a short cutoff is allowed then.
        using var singleHost = Host(("VolumeGen:Sweeper:OlderThan", "00:00:05"), ("VolumeGen:Sweeper:SingleHost", "true"), ("VolumeGen:Sweeper:InitialDelay", "01:00:00"));
        await singleHost.StartAsync();
        Assert.Equal(TimeSpan.Zero, singleHost.Services.GetRequiredService<OrphanVolumeSweeper>().MinimumCutoff);
        await singleHost.StopAsync();
    }

    [Fact]
    public async Task A_generated_wrapper_runs_with_a_context_from_the_host()
    {
        var tenant = DockerEngine.NewTenant("di");
        using var host = Host(("VolumeGen:Sweeper:Enabled", "false"));
        var tool = new SortUniqueTool { Domains = "b\na\nb\n" };

        await tool.RunAsync(host.Services.GetRequiredService<ToolRunContextFactory>().Create(tenant, "r1"));

        Assert.Equal("a\nb\n", tool.Sorted);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Background_cleanup_from_configuration_is_flushed_when_the_host_stops()
    {
        var tenant = DockerEngine.NewTenant("di");
        using var host = Host(("VolumeGen:Sweeper:Enabled", "false"), ("VolumeGen:BackgroundCleanup", "true"));
        Assert.NotNull(host.Services.GetRequiredService<IsolatedVolumeOptions>().BackgroundCleanup);
        await host.StartAsync();
        var tool = new SortUniqueTool { Domains = "b\na\n" };

        await tool.RunAsync(host.Services.GetRequiredService<ToolRunContextFactory>().Create(tenant, "r1"));
        await host.StopAsync();

        Assert.Equal("a\nb\n", tool.Sorted);
        Assert.Equal(0, host.Services.GetRequiredService<BackgroundVolumeCleanup>().Pending);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task The_hosted_sweeper_removes_old_orphans_and_keeps_a_live_runs_volume()
    {
        var prefix = $"io.vg-sweep-{Guid.NewGuid():N}"[..24];
        var orphan = await CreateVolumeAsync(prefix, "dead-host/1/boot/1", TimeSpan.FromHours(3));
        var live = await CreateVolumeAsync(prefix, VolumeLabels.CurrentOwner, TimeSpan.FromHours(3)); // a long run of this very process
        try
        {
            using var host = Host(("VolumeGen:LabelPrefix", prefix), ("VolumeGen:Sweeper:InitialDelay", "00:00:00"), ("VolumeGen:Sweeper:OlderThan", "01:00:00"));
            await host.StartAsync();
            for (var waited = 0; waited < 300 && await DockerEngine.VolumeExistsAsync(orphan); waited++)
            {
                await Task.Delay(100);
            }

            Assert.False(await DockerEngine.VolumeExistsAsync(orphan));
            Assert.True(await DockerEngine.VolumeExistsAsync(live));
            await host.StopAsync();
        }
        finally
        {
            await (await DockerEngine.ClientAsync()).Volumes.RemoveAsync(live);
        }
    }

    [Fact]
    public async Task Health_reports_the_engine_and_turns_degraded_when_leftovers_pile_up()
    {
        var prefix = $"io.vg-health-{Guid.NewGuid():N}"[..24];
        using var host = Host(("VolumeGen:LabelPrefix", prefix), ("VolumeGen:Sweeper:Enabled", "false"), ("VolumeGen:Health:DegradedLeftovers", "2"));
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var healthy = (await health.CheckHealthAsync()).Entries["volumegen"];
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(await DockerEngine.IsPodmanAsync() ? "Podman" : "Docker", healthy.Data["engine"]);
        Assert.Equal(0, healthy.Data["leftovers"]);

        var orphans = new[]
        {
            await CreateVolumeAsync(prefix, "dead-host/1/boot/1", TimeSpan.FromHours(2)),
            await CreateVolumeAsync(prefix, "dead-host/2/boot/1", TimeSpan.FromHours(2)),
            await CreateVolumeAsync(prefix, "dead-host/3/boot/1", TimeSpan.FromMinutes(1)), // younger than the cutoff: not a leftover yet
        };
        try
        {
            var degraded = (await health.CheckHealthAsync()).Entries["volumegen"];
            Assert.Equal(HealthStatus.Degraded, degraded.Status);
            Assert.Equal(2, degraded.Data["leftovers"]);
        }
        finally
        {
            foreach (var orphan in orphans)
            {
                await (await DockerEngine.ClientAsync()).Volumes.RemoveAsync(orphan);
            }
        }

        using var unreachable = Host(("VolumeGen:Endpoint", "unix:///tmp/volumegen-no-such-engine.sock"), ("VolumeGen:Sweeper:Enabled", "false"));
        var down = (await unreachable.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["volumegen"];
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Equal("The Docker engine at unix:///tmp/volumegen-no-such-engine.sock cannot be used: there is no socket at /tmp/volumegen-no-such-engine.sock.", down.Description);
        Assert.IsType<EngineUnavailableException>(down.Exception);
    }

    [Fact]
    public async Task The_engine_is_warmed_up_before_the_applications_services_start_and_an_unreachable_one_does_not_stop_the_host()
    {
        // Its own label prefix: what the warm-up created is this host's alone to count.
        const string prefix = "io.vg-warm";
        foreach (var (endpoint, expected) in new[] { ((string?)null, "Engine warmed up for the first run"), ("unix:///tmp/volumegen-no-such-engine.sock", "Engine warm-up failed") })
        {
            using var logs = new RecordingLogs();
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders().AddProvider(logs);
            builder.Configuration.AddInMemoryCollection([new("VolumeGen:Sweeper:Enabled", "false"), new("VolumeGen:LabelPrefix", prefix), new("VolumeGen:Endpoint", endpoint)]);
            builder.Services.AddVolumeGen(builder.Configuration);
            var application = new FirstService(logs);
            builder.Services.AddHostedService(_ => application);
            using var host = builder.Build();

            await host.StartAsync();

            Assert.Contains(application.SawAtStart, m => m.StartsWith(expected, StringComparison.Ordinal));
            await host.StopAsync();
        }

        var client = await DockerEngine.ClientAsync();
        var left = await client.Volumes.ListAsync(new VolumesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{prefix}.tenant"] = true } },
        });
        Assert.Empty(left.Volumes ?? []);
    }

    /// <summary>The application's first service: what was logged when it started.</summary>
    private sealed class FirstService(RecordingLogs logs) : IHostedService
    {
        public IReadOnlyList<string> SawAtStart { get; private set; } = [];

        public Task StartAsync(CancellationToken cancellationToken)
        {
            SawAtStart = [.. logs.Messages];
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A host with VolumeGen and its health check, configured by <paramref name="settings"/> (also for the TLS tests).</summary>
    internal static IHost Host(params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Services.AddVolumeGen(builder.Configuration);
        builder.Services.AddHealthChecks().AddVolumeGen();
        return builder.Build();
    }

    /// <summary>A volume as a worker of <paramref name="owner"/> made it <paramref name="age"/> ago, with the labels of <paramref name="prefix"/>.</summary>
    private static async Task<string> CreateVolumeAsync(string prefix, string owner, TimeSpan age)
    {
        var labels = new VolumeLabels(prefix);
        var tenant = DockerEngine.NewTenant("hs");
        var values = labels.For(VolumeLabels.RoleVolume, tenant, "r1");
        values[labels.Created] = (DateTimeOffset.UtcNow - age).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        values[labels.Owner] = owner;
        var name = $"tenant-{tenant}-run-r1";
        await (await DockerEngine.ClientAsync()).Volumes.CreateAsync(new VolumesCreateParameters { Name = name, Labels = values });
        return name;
    }
}
