namespace VolumeGen.Hosting;

/// <summary>
/// VolumeGen's settings as a worker configures them (bound from the <c>VolumeGen</c> section of the
/// configuration by <see cref="VolumeGenServiceCollectionExtensions.AddVolumeGen(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration?, Action{VolumeGenOptions}?)"/>),
/// checked when the host starts. Unset values keep the runtime's defaults.
/// </summary>
public sealed class VolumeGenOptions
{
    /// <summary>The runtime's own defaults, which unset values keep.</summary>
    private static readonly IsolatedVolumeOptions RuntimeDefaults = new();

    /// <summary>The configuration section bound by default.</summary>
    public const string SectionName = "VolumeGen";

    /// <summary>The Docker endpoint (<c>unix:///var/run/docker.sock</c>, <c>tcp://host:2376</c>); null: found as the docker CLI finds it (see <see cref="DockerConnectionOptions.ResolvedEndpoint"/>).</summary>
    public string? Endpoint { get; set; }

    /// <summary>A docker CLI context to take the endpoint from when neither <see cref="Endpoint"/> nor <c>DOCKER_HOST</c> is set; null: <c>DOCKER_CONTEXT</c>, else the config file's current one.</summary>
    public string? Context { get; set; }

    /// <summary>TLS to a <c>tcp://</c> endpoint with the engine's certificate verified; null: <c>DOCKER_TLS_VERIFY</c>.</summary>
    public bool? TlsVerify { get; set; }

    /// <summary>The folder with <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c>; null: <c>DOCKER_CERT_PATH</c>, else <c>~/.docker</c>.</summary>
    public string? TlsCertPath { get; set; }

    /// <summary>The docker CLI's configuration folder (contexts, registry credentials); null: <c>DOCKER_CONFIG</c>, else <c>~/.docker</c>.</summary>
    public string? DockerConfig { get; set; }

    /// <summary>When tool images are pulled for specs that do not say (<c>Never</c>, <c>IfMissing</c>, <c>Always</c>).</summary>
    public ImagePullPolicy PullPolicy { get; set; } = RuntimeDefaults.PullPolicy;

    /// <summary>
    /// Credentials per registry, used before the docker config's: a list, because a registry host's
    /// port colon would split a configuration key (<c>VolumeGen:RegistryCredentials:0:Registry</c>,
    /// <c>...:0:Username</c>, <c>...:0:Password</c>). Keep the secrets in a secret store, not in appsettings.json.
    /// </summary>
    public List<RegistryCredentialSettings> RegistryCredentials { get; set; } = [];

    /// <summary>How long an ordinary Engine API call may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The prefix of every label key VolumeGen sets and sweeps by.</summary>
    public string LabelPrefix { get; set; } = DockerConnectionOptions.DefaultLabelPrefix;

    /// <summary>The never-started helper image the archive API reaches volumes through.</summary>
    public string HelperImage { get; set; } = IsolatedVolumeOptions.DefaultHelperImage;

    /// <summary>The most a single file read into memory may hold.</summary>
    public long MaxFileBytes { get; set; } = RuntimeDefaults.MaxFileBytes;

    /// <summary>The most one read call may hold in all.</summary>
    public long MaxTotalBytes { get; set; } = RuntimeDefaults.MaxTotalBytes;

    /// <summary>The most files one read may return.</summary>
    public int MaxEntries { get; set; } = RuntimeDefaults.MaxEntries;

    /// <summary>How long a transfer may go without moving a byte.</summary>
    public TimeSpan TransferInactivityTimeout { get; set; } = RuntimeDefaults.TransferInactivityTimeout;

    /// <summary>How much a run's read-back carries besides the requested outputs before it reads them one by one.</summary>
    public long MaxUnrequestedBytes { get; set; } = RuntimeDefaults.MaxUnrequestedBytes;

    /// <summary>The deadline of a run's whole read-back.</summary>
    public TimeSpan StageOutTimeout { get; set; } = RuntimeDefaults.StageOutTimeout;

    /// <summary>How often a volume's removal is tried before it is left to the sweeper.</summary>
    public int CleanupAttempts { get; set; } = RuntimeDefaults.CleanupAttempts;

    /// <summary>Where input streams of unknown length are spooled; null: the system's temporary folder.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Run tools on an engine that cannot enforce memory and pids limits (null: <c>VOLUMEGEN_ALLOW_UNENFORCED_LIMITS</c>).</summary>
    public bool? AllowUnenforcedResourceLimits { get; set; }

    /// <summary>
    /// Remove a run's volumes in the background after it returns (lower latency per run), flushed when
    /// the host stops; see <see cref="BackgroundVolumeCleanup"/>.
    /// </summary>
    public bool BackgroundCleanup { get; set; }

    /// <summary>
    /// Readies the process for its first run when the host starts, before the application's services
    /// start (see <see cref="ContainerToolRunner.WarmUpAsync(IEnumerable{ToolRunSpec}, CancellationToken)"/>, and
    /// <see cref="VolumeGenServiceCollectionExtensions.AddVolumeGenWarmUp{TTool}"/> for the tools it readies); a failure is logged, never fatal.
    /// </summary>
    public bool WarmUpOnStart { get; set; } = true;

    /// <summary>How many volumes may wait for background removal before a run waits for room.</summary>
    public int BackgroundCleanupCapacity { get; set; } = 256;

    /// <summary>The hosted orphan sweeper.</summary>
    public SweeperSettings Sweeper { get; set; } = new();

    /// <summary>When the health check reports degraded.</summary>
    public HealthSettings Health { get; set; } = new();

    /// <summary>One registry's credentials, as configuration binds them.</summary>
    public sealed class RegistryCredentialSettings
    {
        /// <summary>The registry host, with its port: <c>registry.example.com:5000</c>, <c>docker.io</c>.</summary>
        public string? Registry { get; set; }

        /// <summary>The user name.</summary>
        public string? Username { get; set; }

        /// <summary>The password or access token (a secret).</summary>
        public string? Password { get; set; }

        /// <summary>An identity token, instead of a password (a secret).</summary>
        public string? IdentityToken { get; set; }

        /// <summary>The user name only: secrets are never printed.</summary>
        public override string ToString() => $"{Registry}: {ToCredential()}";

        internal RegistryCredential ToCredential() => new() { Username = Username, Password = Password, IdentityToken = IdentityToken };
    }

    /// <summary>The hosted orphan sweeper's schedule.</summary>
    public sealed class SweeperSettings
    {
        /// <summary>Whether the worker sweeps orphans itself.</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>How long after the host started the first sweep runs.</summary>
        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>The time between sweeps.</summary>
        public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(15);

        /// <summary>Only what was created longer ago than this is swept; longer than the longest run (at least the sweeper's minimum, 10 minutes).</summary>
        public TimeSpan OlderThan { get; set; } = TimeSpan.FromHours(1);

        /// <summary>
        /// Every worker using this engine runs on this host (a host's workers sharing its engine, as the
        /// CLI's <c>--force</c> says): a live run is then always seen alive through its process, so
        /// <see cref="OlderThan"/> may be below the 10-minute minimum, which exists for runs of other hosts.
        /// </summary>
        public bool SingleHost { get; set; }
    }

    /// <summary>The health check's thresholds.</summary>
    public sealed class HealthSettings
    {
        /// <summary>
        /// How many leftovers (VolumeGen volumes older than the sweeper's cutoff whose creating process
        /// is gone, waiting for a sweep) make the worker report degraded.
        /// </summary>
        public int DegradedLeftovers { get; set; } = 10;
    }

    /// <summary>
    /// The runtime's options for these settings, logging to <paramref name="loggerFactory"/>, measuring on
    /// <paramref name="meterFactory"/>'s meter, removing through <paramref name="backgroundCleanup"/> when given.
    /// </summary>
    public IsolatedVolumeOptions ToVolumeOptions(
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory, BackgroundVolumeCleanup? backgroundCleanup = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        return new IsolatedVolumeOptions
        {
            Endpoint = Endpoint is { Length: > 0 } endpoint ? new Uri(endpoint) : null,
            Context = Context,
            TlsVerify = TlsVerify,
            TlsCertPath = TlsCertPath,
            RequestTimeout = RequestTimeout,
            DockerConfig = DockerConfig,
            PullPolicy = PullPolicy,
            RegistryCredentials = RegistryCredentials.Count == 0 ? null : RegistryCredentials.ToDictionary(c => c.Registry!, c => c.ToCredential(), StringComparer.OrdinalIgnoreCase),
            LabelPrefix = LabelPrefix,
            HelperImage = HelperImage,
            MaxFileBytes = MaxFileBytes,
            MaxTotalBytes = MaxTotalBytes,
            MaxEntries = MaxEntries,
            TransferInactivityTimeout = TransferInactivityTimeout,
            MaxUnrequestedBytes = MaxUnrequestedBytes,
            StageOutTimeout = StageOutTimeout,
            CleanupAttempts = CleanupAttempts,
            SpoolDirectory = SpoolDirectory,
            AllowUnenforcedResourceLimits = AllowUnenforcedResourceLimits ?? new DockerConnectionOptions().AllowUnenforcedResourceLimits, // its environment variable, read now
            LoggerFactory = loggerFactory,
            MeterFactory = meterFactory,
            BackgroundCleanup = backgroundCleanup,
        };
    }
}
