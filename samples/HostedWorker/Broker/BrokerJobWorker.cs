using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using VolumeGen.Hosting;

namespace VolumeGen.Samples.HostedWorker.Broker;

/// <summary>
/// Broker mode: takes jobs from a RabbitMQ quorum queue, as many at once as the worker runs
/// (prefetch = <see cref="JobFolders.Concurrency"/>), and acknowledges a job only after its result is
/// stored, so a worker that dies mid-run loses nothing: the broker delivers the job again, to this
/// worker or another. A job whose result is stored already is acknowledged without running again
/// (each result stored once). A job that cannot run (bad input) is dead-lettered at once with its
/// reason; a failing run is retried until <see cref="BrokerSettings.DeliveryLimit"/>, then
/// dead-lettered with the last error. A graceful stop takes no new job, lets the runs in flight finish
/// (cancelling them after <see cref="BrokerSettings.DrainTimeout"/>, which removes their volumes and
/// returns their jobs), and the jobs delivered but not started go back to the queue with the channel.
/// A broker that restarts is reconnected to by the client's automatic recovery.
/// </summary>
public sealed partial class BrokerJobWorker(
    IServiceProvider services, ToolRunContextFactory contexts, IOptions<BrokerSettings> broker, IOptions<JobFolders> jobs, ILogger<BrokerJobWorker> logger)
    : BackgroundService
{
    private readonly CancellationTokenSource _cancelRuns = new();
    private readonly Lock _gate = new();
    private int _running;
    private TaskCompletionSource _idle = Idle(done: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = broker.Value;
        var concurrency = (ushort)Math.Max(1, jobs.Value.Concurrency);
        var store = new ResultStore(settings.ResultsFolder);
        var factory = new ConnectionFactory
        {
            Uri = new Uri(settings.Uri),
            ClientProvidedName = settings.WorkerName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
        };
        await using var connection = await ConnectAsync(factory, stoppingToken).ConfigureAwait(false);
        if (connection is null)
        {
            return; // stopped before the broker answered
        }

        // Publisher confirms, tracked: a dead letter is acknowledged by the broker before its job is.
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, consumerDispatchConcurrency: concurrency),
            stoppingToken).ConfigureAwait(false);
        await BrokerTopology.DeclareAsync(channel, settings, stoppingToken).ConfigureAwait(false);
        if (settings.PublishFrom is { } inbox)
        {
            await PublishFolderAsync(channel, inbox, settings.JobQueue, stoppingToken).ConfigureAwait(false);
        }

        await channel.BasicQosAsync(0, concurrency, global: false, stoppingToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, delivery, store, settings);
        var consumerTag = await channel.BasicConsumeAsync(settings.JobQueue, autoAck: false, consumer, stoppingToken).ConfigureAwait(false);
        Consuming(logger, settings.WorkerName, settings.JobQueue, concurrency);

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Graceful stop: no new deliveries, the runs in flight drain, then the channel closes (what
        // was delivered and not acknowledged goes back to the queue).
        await channel.BasicCancelAsync(consumerTag, noWait: false, CancellationToken.None).ConfigureAwait(false);
        _cancelRuns.CancelAfter(settings.DrainTimeout);
        await WaitIdleAsync().ConfigureAwait(false);
        Drained(logger, settings.WorkerName);
    }

    public override void Dispose()
    {
        _cancelRuns.Dispose();
        base.Dispose();
    }

    /// <summary>Publishes each job file of <paramref name="folder"/> (persistent, confirmed), then deletes it.</summary>
    private async Task PublishFolderAsync(IChannel channel, string folder, string queue, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToArray() : [])
        {
            var properties = new BasicProperties { MessageId = Path.GetFileNameWithoutExtension(file), Persistent = true, ContentType = "application/json" };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
            File.Delete(file);
            Published(logger, properties.MessageId, queue);
        }
    }

    private async Task<IConnection?> ConnectAsync(ConnectionFactory factory, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await factory.CreateConnectionAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (BrokerUnreachableException e)
            {
                BrokerUnreachable(logger, e, factory.Uri);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, ResultStore store, BrokerSettings settings)
    {
        lock (_gate)
        {
            if (_running++ == 0)
            {
                _idle = Idle(done: false);
            }
        }

        var jobId = delivery.BasicProperties.MessageId;
        try
        {
            if (!ResultStore.IsValidJobId(jobId))
            {
                await DeadLetterAsync(channel, delivery, settings, "the message's MessageId (the job's ID) is missing or not [A-Za-z0-9._-]{1,128}").ConfigureAwait(false);
                return;
            }

            if (store.Contains(jobId!))
            {
                // Ran before, and its worker died before acknowledging: the result stands.
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
                AlreadyDone(logger, jobId!);
                return;
            }

            ScanJob job;
            ToolRunContext context;
            try
            {
                job = JsonSerializer.Deserialize<ScanJob>(delivery.Body.Span, ScanJob.Json) ?? throw new JsonException("the job is null");
                context = contexts.Create(job.Tenant, job.Run);
            }
            catch (Exception e) when (e is JsonException or ArgumentException or VolumeValidationException)
            {
                await DeadLetterAsync(channel, delivery, settings, $"the job cannot run: {e.Message}").ConfigureAwait(false);
                return;
            }

            await RunAsync(channel, delivery, jobId!, job, context, store, settings).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException)
        {
            // The connection went away before the acknowledgement: the broker delivers the job again
            // (its stored result, if any, is then acknowledged without a second run).
            AckLost(logger, e, jobId ?? "?");
        }
        finally
        {
            lock (_gate)
            {
                if (--_running == 0)
                {
                    _idle.TrySetResult();
                }
            }
        }
    }

    private async Task RunAsync(IChannel channel, BasicDeliverEventArgs delivery, string jobId, ScanJob job, ToolRunContext context, ResultStore store, BrokerSettings settings)
    {
        var tool = job.ApplyTo(services.GetRequiredService<PacedScanTool>());
        try
        {
            var result = await tool.RunAsync(context, _cancelRuns.Token).ConfigureAwait(false);
            var stored = store.TryStore(jobId, JsonSerializer.Serialize(new JobResult(jobId, job.Tenant, job.Run, settings.WorkerName, tool.Results ?? ""), ScanJob.Json));
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
            JobDone(logger, jobId, job.Tenant, result.Duration.TotalMilliseconds, stored);
        }
        catch (OperationCanceledException) when (_cancelRuns.IsCancellationRequested)
        {
            // The drain timed out: VolumeGen removed the run's volumes; the job goes back to the queue.
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).ConfigureAwait(false);
            JobReturned(logger, jobId);
        }
        catch (Exception e) when (e is not (AlreadyClosedException or OperationInterruptedException))
        {
            var deliveries = DeliveryCount(delivery) + 1;
            if (deliveries >= settings.DeliveryLimit)
            {
                await DeadLetterAsync(channel, delivery, settings, $"{e.GetType().Name} on delivery {deliveries} of {settings.DeliveryLimit}: {e.Message}").ConfigureAwait(false);
                return;
            }

            JobRetried(logger, e, jobId, deliveries, settings.DeliveryLimit);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).ConfigureAwait(false);
        }
    }

    /// <summary>Earlier deliveries of this job that were not acknowledged (the quorum queue's count).</summary>
    private static long DeliveryCount(BasicDeliverEventArgs delivery) =>
        delivery.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var count) == true ? Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>Publishes the job to the dead-letter queue with its reason (confirmed by the broker), then acknowledges it.</summary>
    private async Task DeadLetterAsync(IChannel channel, BasicDeliverEventArgs delivery, BrokerSettings settings, string reason)
    {
        var properties = new BasicProperties
        {
            MessageId = delivery.BasicProperties.MessageId,
            Persistent = true,
            ContentType = delivery.BasicProperties.ContentType,
            Headers = new Dictionary<string, object?> { [DeadLetterReasonHeader] = reason, [DeadLetterWorkerHeader] = settings.WorkerName },
        };
        await channel.BasicPublishAsync("", settings.DeadLetterQueue, mandatory: true, properties, delivery.Body).ConfigureAwait(false);
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
        JobDeadLettered(logger, delivery.BasicProperties.MessageId ?? "?", reason);
    }

    private Task WaitIdleAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    private static TaskCompletionSource Idle(bool done)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (done)
        {
            idle.SetResult();
        }

        return idle;
    }

    /// <summary>The header a dead letter's reason is in.</summary>
    public const string DeadLetterReasonHeader = "x-volumegen-reason";

    /// <summary>The header naming the worker that dead-lettered the job.</summary>
    public const string DeadLetterWorkerHeader = "x-volumegen-worker";

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Worker {Worker} consumes {Queue}, {Concurrency} at a time")]
    private static partial void Consuming(ILogger logger, string worker, string queue, int concurrency);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Job {Job} for tenant {Tenant} done in {DurationMs} ms (result stored: {Stored})")]
    private static partial void JobDone(ILogger logger, string job, string tenant, double durationMs, bool stored);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Job {Job} has a stored result already: acknowledged without running again")]
    private static partial void AlreadyDone(ILogger logger, string job);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Job {Job} failed on delivery {Delivery} of {Limit}; back in the queue")]
    private static partial void JobRetried(ILogger logger, Exception exception, string job, long delivery, int limit);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Job {Job} dead-lettered: {Reason}")]
    private static partial void JobDeadLettered(ILogger logger, string job, string reason);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Job {Job} cancelled by the stop; back in the queue")]
    private static partial void JobReturned(ILogger logger, string job);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Job {Job}: the broker connection closed before the acknowledgement; it will be delivered again")]
    private static partial void AckLost(ILogger logger, Exception exception, string job);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Broker {Uri} unreachable; retrying")]
    private static partial void BrokerUnreachable(ILogger logger, Exception exception, Uri uri);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "Job {Job} published to {Queue}")]
    private static partial void Published(ILogger logger, string job, string queue);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Worker {Worker} drained: no run in flight")]
    private static partial void Drained(ILogger logger, string worker);
}

/// <summary>A stored job result.</summary>
public sealed record JobResult(string JobId, string Tenant, string Run, string Worker, string Results);
