using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VolumeGen.Hosting;

/// <summary>
/// Readies the process for its first run when the host starts (<see cref="ContainerToolRunner.WarmUpAsync(IEnumerable{ToolRunSpec}, CancellationToken)"/>, with the tools
/// registered by <see cref="VolumeGenServiceCollectionExtensions.AddVolumeGenWarmUp{TTool}"/>),
/// before the application's own services start taking jobs: a worker's first job then costs what every
/// later one does. An engine that cannot be reached at startup is logged, never fatal: the health check
/// reports it, and the first run does the same work on first use.
/// </summary>
internal sealed partial class EngineWarmUp(ContainerToolRunner runner, IOptions<VolumeGenOptions> options, IEnumerable<WarmUpTool> tools, ILogger<EngineWarmUp> logger) : IHostedService
{
    /// <summary>The longest the warm-up may hold the host's start.</summary>
    internal static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUpOnStart)
        {
            return;
        }

        // Bounded: an engine that does not answer must not hold the host's start for a request timeout.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(MaxWarmUp);
        try
        {
            await runner.WarmUpAsync(tools.Select(t => t.Spec), bounded.Token).ConfigureAwait(false);
            WarmedUp(logger);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            WarmUpFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Engine warmed up for the first run")]
    private static partial void WarmedUp(ILogger logger);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Engine warm-up failed; the first run does its work instead")]
    private static partial void WarmUpFailed(ILogger logger, Exception exception);
}

/// <summary>A tool whose image and user the warm-up looks up (one service each, registered by AddVolumeGenWarmUp).</summary>
internal sealed record WarmUpTool(ToolRunSpec Spec);
