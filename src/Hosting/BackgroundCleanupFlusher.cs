using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace VolumeGen.Hosting;

/// <summary>On host shutdown, waits until every volume queued for background removal is removed (or reported to the sweeper).</summary>
internal sealed class BackgroundCleanupFlusher(IServiceProvider services, IOptions<VolumeGenOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BackgroundCleanup)
        {
            await services.GetRequiredService<BackgroundVolumeCleanup>().FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
