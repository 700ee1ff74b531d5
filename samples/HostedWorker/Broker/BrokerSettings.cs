namespace VolumeGen.Samples.HostedWorker.Broker;

/// <summary>Broker mode (<c>Jobs:Source=Broker</c>): where jobs come from and results go (the <c>Broker</c> configuration section).</summary>
public sealed class BrokerSettings
{
    /// <summary>The AMQP URI of the RabbitMQ broker.</summary>
    public string Uri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>The quorum queue of jobs (a message per job: <see cref="ScanJob"/> as JSON, its MessageId the job's ID).</summary>
    public string JobQueue { get; set; } = "volumegen.jobs";

    /// <summary>Where a job goes, with its reason, when it cannot run (bad input) or failed <see cref="DeliveryLimit"/> times.</summary>
    public string DeadLetterQueue { get; set; } = "volumegen.jobs.dead";

    /// <summary>
    /// How many times a job is delivered before it is dead-lettered: a failing run is retried until
    /// then; the queue dead-letters a job whose workers died this many times (x-delivery-limit).
    /// </summary>
    public int DeliveryLimit { get; set; } = 3;

    /// <summary>The result store: a folder (shared by every worker) with one file per job ID, written once.</summary>
    public string ResultsFolder { get; set; } = "jobs/results";

    /// <summary>How long a graceful stop lets the runs in flight finish before it cancels them (their jobs go back to the queue).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// A folder of jobs (<c>*.json</c>, each a <see cref="ScanJob"/>, its file name the job's ID) this
    /// worker publishes to <see cref="JobQueue"/> when it starts, deleting each file once the broker
    /// confirmed it: a way to feed the queue without other tools. Null: it publishes nothing.
    /// </summary>
    public string? PublishFrom { get; set; }

    /// <summary>This worker's name in results, dead letters and the broker's connection list.</summary>
    public string WorkerName { get; set; } = Environment.MachineName;
}
