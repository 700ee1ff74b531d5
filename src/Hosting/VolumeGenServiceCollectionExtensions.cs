using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VolumeGen.Hosting;

/// <summary>Registers VolumeGen in a .NET worker's services.</summary>
public static class VolumeGenServiceCollectionExtensions
{
    /// <summary>
    /// Adds VolumeGen: <see cref="VolumeGenOptions"/> bound from <paramref name="configuration"/> (its
    /// <c>VolumeGen</c> section when it has one) and <paramref name="configure"/>, validated when the
    /// host starts; one <see cref="IsolatedVolumeOptions"/> logging through the host's
    /// <see cref="ILoggerFactory"/> and measuring on the host's <see cref="IMeterFactory"/> (when it has one); one <see cref="ContainerToolRunner"/> and one
    /// <see cref="OrphanVolumeSweeper"/> on one shared engine connection; <see cref="ToolRunContextFactory"/>
    /// for generated wrappers and <see cref="ToolRunContext.RunAsync"/>; with
    /// <see cref="VolumeGenOptions.BackgroundCleanup"/>, a <see cref="BackgroundVolumeCleanup"/> flushed when the host stops; unless
    /// <see cref="VolumeGenOptions.WarmUpOnStart"/> is false, a warm-up when the host starts; and, unless
    /// <see cref="VolumeGenOptions.SweeperSettings.Enabled"/> is false, the hosted orphan sweeper.
    /// Nothing is static: two hosts in one process have their own.
    /// </summary>
    public static IServiceCollection AddVolumeGen(this IServiceCollection services, IConfiguration? configuration = null, Action<VolumeGenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<VolumeGenOptions>();
        if (configuration is not null)
        {
            var section = configuration.GetSection(VolumeGenOptions.SectionName);
            options.Bind(section.Exists() ? section : configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VolumeGenOptions>, VolumeGenOptionsValidator>());
        services.TryAddSingleton(provider => new BackgroundVolumeCleanup(
            provider.GetRequiredService<IOptions<VolumeGenOptions>>().Value.BackgroundCleanupCapacity,
            loggerFactory: provider.GetService<ILoggerFactory>(),
            meterFactory: provider.GetService<IMeterFactory>()));
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<VolumeGenOptions>>().Value;
            return settings.ToVolumeOptions(
                provider.GetService<ILoggerFactory>(),
                settings.BackgroundCleanup ? provider.GetRequiredService<BackgroundVolumeCleanup>() : null,
                provider.GetService<IMeterFactory>());
        });
        services.TryAddSingleton(provider => new ContainerToolRunner(provider.GetRequiredService<IsolatedVolumeOptions>()));
        services.TryAddSingleton(provider => new OrphanVolumeSweeper(provider.GetRequiredService<IsolatedVolumeOptions>())
        {
            // One host's workers see each other's runs alive through their processes: no cutoff is needed for them.
            MinimumCutoff = provider.GetRequiredService<IOptions<VolumeGenOptions>>().Value.Sweeper.SingleHost ? TimeSpan.Zero : OrphanVolumeSweeper.DefaultMinimumCutoff,
        });
        services.TryAddSingleton<ToolRunContextFactory>();
        // Started before the application's own services (registered after this call), so they take
        // their first job with the engine ready.
        services.AddHostedService<EngineWarmUp>();
        services.AddHostedService<OrphanSweeperService>();
        // Registered before the application's own services, so it stops after them: runs cancelled by
        // the shutdown have queued their volumes by then, and this waits until they are removed.
        services.AddHostedService<BackgroundCleanupFlusher>();
        return services;
    }

    /// <summary>
    /// Has the warm-up when the host starts also find (or pull) the image of the generated tool
    /// <typeparamref name="TTool"/> and look up the user it runs as, so that the worker's first job of
    /// that tool starts without the lookup (see <see cref="ContainerToolRunner.WarmUpAsync(IEnumerable{ToolRunSpec}, CancellationToken)"/>).
    /// Nothing is readied when <see cref="VolumeGenOptions.WarmUpOnStart"/> is false.
    /// </summary>
    public static IServiceCollection AddVolumeGenWarmUp<TTool>(this IServiceCollection services)
        where TTool : IContainerTool =>
        services.AddVolumeGenWarmUp(ToolDefinition.Of<TTool>().Tool);

    /// <summary>The same for a hand-written tool: <paramref name="tool"/>'s image and user, looked up as its runs look them up.</summary>
    public static IServiceCollection AddVolumeGenWarmUp(this IServiceCollection services, ToolRunSpec tool)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(tool);
        return services.AddSingleton(new WarmUpTool(tool));
    }

    /// <summary>
    /// Adds the VolumeGen health check: the engine's reachability and API version, the helper
    /// image, and degraded when leftovers pile up (see <see cref="VolumeGenHealthCheck"/>).
    /// </summary>
    public static IHealthChecksBuilder AddVolumeGen(this IHealthChecksBuilder builder, string name = "volumegen", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<VolumeGenHealthCheck>(name, HealthStatus.Unhealthy, tags ?? []);
    }
}
