using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VolumeGen.Hosting;

namespace VolumeGen.Samples.HostedWorker;

/// <summary>
/// Takes jobs from the inbox folder and runs each with a generated wrapper resolved from DI. On host
/// shutdown the runs in flight are cancelled (VolumeGen removes their volumes and containers) and
/// their jobs go back to the inbox: nothing is left on the engine and no job is lost.
/// </summary>
public sealed partial class ScanJobWorker(
    IServiceProvider services, ToolRunContextFactory contexts, IOptions<JobFolders> folders, IHostApplicationLifetime lifetime, ILogger<ScanJobWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = folders.Value;
        foreach (var folder in new[] { settings.Inbox, settings.Processing, settings.Done, settings.Failed })
        {
            Directory.CreateDirectory(folder);
        }

        RecoverInterrupted(settings);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            var next = running.Count < settings.Concurrency ? TakeNext(settings) : null;
            if (next is not null)
            {
                running.Add(RunJobAsync(next, settings, stoppingToken));
                continue;
            }

            if (settings.ExitWhenIdle && running.Count == 0)
            {
                lifetime.StopApplication();
                break;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Shutdown: each run sees the cancellation, removes what it created and puts its job back.
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>A job left in processing by a worker that crashed goes back to the inbox (its volumes are the sweeper's).</summary>
    private static void RecoverInterrupted(JobFolders settings)
    {
        foreach (var file in Directory.GetFiles(settings.Processing, "*.json"))
        {
            File.Move(file, Path.Combine(settings.Inbox, Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <summary>The oldest job, moved to processing (a move is atomic: two workers on one folder never take the same job).</summary>
    private static string? TakeNext(JobFolders settings)
    {
        foreach (var file in new DirectoryInfo(settings.Inbox).GetFiles("*.json").OrderBy(f => f.CreationTimeUtc).ThenBy(f => f.Name))
        {
            var taken = Path.Combine(settings.Processing, file.Name);
            try
            {
                file.MoveTo(taken);
                return taken;
            }
            catch (IOException)
            {
                // Taken by someone else in between.
            }
        }

        return null;
    }

    private async Task RunJobAsync(string path, JobFolders settings, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var name = Path.GetFileName(path);
        try
        {
            var job = JsonSerializer.Deserialize<ScanJob>(await File.ReadAllTextAsync(path, CancellationToken.None).ConfigureAwait(false), ScanJob.Json)
                ?? throw new InvalidDataException("empty job");
            var tool = job.ApplyTo(services.GetRequiredService<PacedScanTool>());
            var result = await tool.RunAsync(contexts.Create(job.Tenant, job.Run), stoppingToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(settings.Done, Path.ChangeExtension(name, ".results.jsonl")), tool.Results, CancellationToken.None).ConfigureAwait(false);
            File.Move(path, Path.Combine(settings.Done, name), overwrite: true);
            JobDone(logger, name, job.Tenant, result.Duration.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            File.Move(path, Path.Combine(settings.Inbox, name), overwrite: true);
            JobInterrupted(logger, name);
        }
        catch (Exception e)
        {
            await File.WriteAllTextAsync(Path.Combine(settings.Failed, Path.ChangeExtension(name, ".error.txt")), e.ToString(), CancellationToken.None).ConfigureAwait(false);
            File.Move(path, Path.Combine(settings.Failed, name), overwrite: true);
            JobFailed(logger, e, name);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Job {Job} for tenant {Tenant} done; the tool ran {DurationMs} ms")]
    private static partial void JobDone(ILogger logger, string job, string tenant, double durationMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Job {Job} interrupted by shutdown; back in the inbox")]
    private static partial void JobInterrupted(ILogger logger, string job);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Job {Job} failed")]
    private static partial void JobFailed(ILogger logger, Exception exception, string job);
}
