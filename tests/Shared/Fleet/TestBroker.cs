using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using VolumeGen.Samples.HostedWorker;
using VolumeGen.Samples.HostedWorker.Broker;

// Shared by the integration tests and the benchmarks (linked into both projects; they reference the hosted worker sample).
namespace VolumeGen.Testing;

/// <summary>
/// The RabbitMQ node <c>scripts/rabbitmq.sh</c> starts, and one test's (or benchmark's) queues on it: a job queue and a
/// dead-letter queue of their own (declared as the workers declare them), deleted at the end.
/// </summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Settings = new(() => ScriptSettings.Load("/tmp/volumegen-broker/env"));

    private IConnection _connection;
    private IChannel _channel;

    private TestBroker(IConnection connection, IChannel channel, BrokerSettings settings)
    {
        _connection = connection;
        _channel = channel;
        Queues = settings;
    }

    public static string Uri => Settings.Value.TryGetValue("VOLUMEGEN_BROKER_URI", out var uri)
        ? uri
        : throw new InvalidOperationException("VOLUMEGEN_BROKER_URI is not set: start the broker with scripts/rabbitmq.sh start (scripts/test.sh does), which writes /tmp/volumegen-broker/env.");

    /// <summary>This test's queue names and result folder, as its workers get them.</summary>
    public BrokerSettings Queues { get; }

    public static async Task<TestBroker> CreateAsync(string name, int deliveryLimit = 3)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var settings = new BrokerSettings
        {
            Uri = Uri,
            JobQueue = $"test.{name}.{suffix}.jobs",
            DeadLetterQueue = $"test.{name}.{suffix}.dead",
            DeliveryLimit = deliveryLimit,
            ResultsFolder = Directory.CreateTempSubdirectory($"volumegen-results-{name}-").FullName,
        };
        var (connection, channel) = await ConnectAsync();
        await BrokerTopology.DeclareAsync(channel, settings, default);
        return new TestBroker(connection, channel, settings);
    }

    /// <summary>A new connection after the node restarted (this one's recovery may still be waiting for its next attempt).</summary>
    public async Task ReconnectAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
        (_connection, _channel) = await ConnectAsync();
    }

    /// <summary>Publishes a job (persistent, confirmed by the broker) with <paramref name="jobId"/> as its MessageId.</summary>
    public Task PublishAsync(string jobId, ScanJob job) => PublishRawAsync(jobId, JsonSerializer.SerializeToUtf8Bytes(job, ScanJob.Json));

    public async Task PublishRawAsync(string jobId, byte[] body) =>
        await _channel.BasicPublishAsync("", Queues.JobQueue, mandatory: true, new BasicProperties { MessageId = jobId, Persistent = true, ContentType = "application/json" }, body);

    public async Task<uint> JobsWaitingAsync() => await _channel.MessageCountAsync(Queues.JobQueue);

    /// <summary>Every dead letter: the job's ID and the reason given (a worker's header, or the broker's own x-death reason).</summary>
    public async Task<List<(string JobId, string Reason)>> DeadLettersAsync()
    {
        // On a channel of its own, never acknowledged: closing it puts them back (a second call sees them again).
        await using var reader = await _connection.CreateChannelAsync();
        var letters = new List<(string, string)>();
        while (await reader.BasicGetAsync(Queues.DeadLetterQueue, autoAck: false) is { } message)
        {
            var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
            var reason = headers.TryGetValue(BrokerJobWorker.DeadLetterReasonHeader, out var given) && given is byte[] bytes
                ? Encoding.UTF8.GetString(bytes)
                : headers.TryGetValue("x-first-death-reason", out var death) && death is byte[] deathBytes ? "broker: " + Encoding.UTF8.GetString(deathBytes) : "";
            letters.Add((message.BasicProperties.MessageId ?? "", reason));
        }

        return letters;
    }

    /// <summary>The stored results by job ID.</summary>
    public Dictionary<string, JobResult> Results() =>
        Directory.GetFiles(Queues.ResultsFolder, "*.json").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f),
            f => JsonSerializer.Deserialize<JobResult>(File.ReadAllText(f), ScanJob.Json)!);

    private static async Task<(IConnection Connection, IChannel Channel)> ConnectAsync()
    {
        var connection = await new ConnectionFactory { Uri = new Uri(Uri), AutomaticRecoveryEnabled = false }.CreateConnectionAsync();
        return (connection, await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _channel.QueueDeleteAsync(Queues.JobQueue, ifUnused: false, ifEmpty: false);
            await _channel.QueueDeleteAsync(Queues.DeadLetterQueue, ifUnused: false, ifEmpty: false);
        }
        finally
        {
            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
            Directory.Delete(Queues.ResultsFolder, recursive: true);
        }
    }
}
