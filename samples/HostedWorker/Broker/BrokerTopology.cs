using RabbitMQ.Client;

namespace VolumeGen.Samples.HostedWorker.Broker;

/// <summary>The queues of broker mode, declared alike by every worker and by whoever publishes jobs.</summary>
public static class BrokerTopology
{
    /// <summary>Declares the job queue and its dead-letter queue (idempotent: the same arguments each time).</summary>
    public static async Task DeclareAsync(IChannel channel, BrokerSettings settings, CancellationToken cancellationToken)
    {
        // Quorum queues: replicated on a cluster, and they count deliveries (x-delivery-count), which
        // the redelivery limit needs.
        await channel.QueueDeclareAsync(settings.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(settings.JobQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            // The backstop for a job that kills its workers (they never get to dead-letter it themselves).
            ["x-delivery-limit"] = settings.DeliveryLimit,
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = settings.DeadLetterQueue,
            // At-least-once dead-lettering (RabbitMQ 3.10+): a dead letter is not lost if the broker fails meanwhile.
            ["x-dead-letter-strategy"] = "at-least-once",
            ["x-overflow"] = "reject-publish",
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
