using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using VolumeGen.Archives;
using VolumeGen.Observability;
using VolumeGen.Validation;

namespace VolumeGen.Engine;

/// <summary>
/// One tenant's run's named volume on the engine: its creation and upload, reads through a helper,
/// removal. <see cref="IsolatedContainerVolume"/> is its public face; the Docker backend uses it
/// directly for a run's two volumes, initialized together and read back as the run's outputs.
/// Arguments are validated here, so both paths refuse the same things.
/// </summary>
internal sealed partial class DockerVolume
{
    /// <summary>The category of a volume's log events: the public type's full name, as before the engine part moved here.</summary>
    private const string LogCategory = "VolumeGen.IsolatedContainerVolume";

    private readonly IsolatedVolumeOptions _options;

    private readonly VolumeLabels _labels;

    private readonly ILogger _logger;

    private readonly string _instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    private readonly ByteBudget _bufferedReads;

    private readonly VolumeGenInstruments _metrics;

    private DockerApi? _api;

    private Task<string>? _preparedReadHelper;

    private bool _volumeExists;

    private State _state = State.New;

    /// <summary>Prepares (without touching the engine) the volume of <paramref name="tenantId"/>'s run <paramref name="runId"/>, its files owned by <paramref name="owner"/>.</summary>
    /// <exception cref="VolumeValidationException">An identifier is empty, too long or has characters outside [A-Za-z0-9_.-].</exception>
    public DockerVolume(string tenantId, string runId, ToolUser owner, IsolatedVolumeOptions? options)
    {
        IdentifierRules.ThrowIfInvalid(nameof(tenantId), tenantId);
        IdentifierRules.ThrowIfInvalid(nameof(runId), runId);
        ArgumentOutOfRangeException.ThrowIfNegative(owner.Uid, nameof(owner));
        ArgumentOutOfRangeException.ThrowIfNegative(owner.Gid, nameof(owner));
        TenantId = tenantId;
        RunId = runId;
        Owner = owner;
        _options = options ?? IsolatedVolumeOptions.Default;
        _labels = new VolumeLabels(_options.LabelPrefix);
        // Shared by every buffered read of this volume: a run that reads its outputs in several
        // calls is bounded as a whole, not per call.
        _bufferedReads = new ByteBudget(_options.MaxBufferedReadBytes, nameof(IsolatedVolumeOptions.MaxBufferedReadBytes));
        _logger = _options.LoggerFactory?.CreateLogger(LogCategory) ?? NullLogger.Instance;
        _metrics = VolumeGenMetrics.For(_options.MeterFactory);
        // The random suffix keeps two volumes of one tenant and run in the same millisecond apart:
        // `volume create` silently returns an existing volume of the same name.
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        Name = string.Create(CultureInfo.InvariantCulture, $"tenant-{tenantId}-run-{runId}-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}-{suffix}");
    }

    private enum State
    {
        New,
        Ready,
        Closed,
    }

    /// <summary>The Docker volume name: <c>tenant-{tenantId}-run-{runId}-{unix-ms}-{random suffix}</c>.</summary>
    public string Name { get; }

    /// <summary>The tenant the volume belongs to.</summary>
    public string TenantId { get; }

    /// <summary>The run the volume belongs to.</summary>
    public string RunId { get; }

    /// <summary>The user that owns the volume root and every file written into it.</summary>
    public ToolUser Owner { get; }

    /// <summary>The random instance label that tells this volume from any other of the same name (set at creation).</summary>
    public string Instance => _instance;

    /// <summary>
    /// Empty folders the initialize creates (with their parents), owned like the root: a run's
    /// declared output folders, there before the tool starts, as tools that write into a folder expect.
    /// Validated by the run before the volume exists.
    /// </summary>
    public IReadOnlyList<string> OutputFolders { get; init; } = [];

    /// <summary>True between a successful initialize and cleanup.</summary>
    public bool IsInitialized => _state == State.Ready;

    /// <summary>Creates the volume and writes <paramref name="files"/> into it in one streamed upload; on any failure removes what it created.</summary>
    /// <exception cref="VolumeValidationException">A file name is unsafe or appears twice; nothing was created.</exception>
    public Task InitializeAsync(IEnumerable<VolumeFile> files, CancellationToken cancellationToken) =>
        InitializeAsync(files, outputs: null, cancellationToken);

    /// <summary>
    /// Initializes a run's input volume (this, with <paramref name="files"/>) and its empty output
    /// volume <paramref name="outputs"/> together, through one helper that then reads the outputs
    /// (see CreateAndFillAsync); on any failure both are removed, as for one volume.
    /// </summary>
    public Task InitializeWithOutputsAsync(IEnumerable<VolumeFile> files, DockerVolume outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (ReferenceEquals(outputs, this) || outputs.Owner != Owner || !ReferenceEquals(outputs._options, _options))
        {
            throw new ArgumentException("The output volume of a run is another volume, with the input volume's owner and options.", nameof(outputs));
        }

        return InitializeAsync(files, outputs, cancellationToken);
    }

    private async Task InitializeAsync(IEnumerable<VolumeFile> files, DockerVolume? outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var list = files.ToList();
        ValidateFiles(list);

        DockerVolume[] volumes = outputs is null ? [this] : [this, outputs];
        var locked = 0;
        try
        {
            foreach (var volume in volumes)
            {
                await volume.EnterInitializeAsync(cancellationToken).ConfigureAwait(false);
                locked++;
            }

            using var activity = VolumeGenTelemetry.Start("volume.initialize", Name);
            using var timer = _metrics.Time("initialize");
            activity?.SetTag("volumegen.files", list.Count);
            activity?.SetTag("volumegen.output_volume", outputs?.Name); // one span for a run's two volumes
            await using var spool = new InputSpool(_options.SpoolDirectory, _options.MaxStreamedFileBytes, _options.TransferInactivityTimeout);
            try
            {
                // Spooled before the volume exists: a stream that breaks or is too long leaves nothing.
                list = await spool.WithKnownLengthsAsync(list, cancellationToken).ConfigureAwait(false);
                // The helper that prepared the volume reads it back (kept, not created again after the tool).
                var readHelper = await CreateAndFillAsync(list, outputs, cancellationToken).ConfigureAwait(false);
                // The kept helper reads the volume it mounts at the usual place: the output volume.
                var reader = outputs ?? this;
                foreach (var volume in volumes)
                {
                    volume.Initialized(ReferenceEquals(volume, reader) ? readHelper : null);
                }
            }
            catch (Exception e)
            {
                activity.Fail(e);
                Log.InitializeFailed(_logger, e, Name);
                foreach (var volume in volumes)
                {
                    volume.InitializeFailed();
                }

                // Both attempted even when one fails; what could not be removed (left to the sweeper) is
                // attached to the error that ended the initialize, never put in its place.
                var removals = volumes.Select(v => v.RemoveEverythingAsync(CancellationToken.None)).ToList();
                try
                {
                    await Task.WhenAll(removals).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    RunCleanup.Attach(e, removals.Where(r => r.IsFaulted).SelectMany(r => r.Exception!.InnerExceptions));
                }

                throw;
            }
        }
        finally
        {
            foreach (var volume in volumes.Take(locked))
            {
                volume.LeaveInitialize();
            }
        }
    }

    // Each volume changes its own state: a run's input volume initializes its output volume through these.

    /// <summary>Takes this volume's lifecycle lock for an initialize (released by the caller), refusing a second one.</summary>
    private async Task EnterInitializeAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_state != State.New)
        {
            _lifecycle.Release();
            throw new InvalidOperationException($"Volume '{Name}' was already initialized{(_state == State.Closed ? " and cleaned up" : "")}.");
        }
    }

    private void LeaveInitialize() => _lifecycle.Release();

    /// <summary>Created and filled; with <paramref name="readHelper"/>, the never-started helper that will read it back.</summary>
    private void Initialized(string? readHelper)
    {
        _state = State.Ready;
        if (readHelper is not null)
        {
            _preparedReadHelper = Task.FromResult(readHelper);
        }
    }

    /// <summary>The initialize failed: this volume is closed and no longer this process's to mount (its removal follows).</summary>
    private void InitializeFailed()
    {
        _state = State.Closed;
        OwnedVolumes.Remove(Name);
    }

    /// <inheritdoc cref="IsolatedContainerVolume.GetVolumeConfig"/>
    public VolumeMount GetVolumeConfig(string target, bool readOnly = true)
    {
        ThrowIfInvalid(nameof(target), target, VolumePathRules.GetMountTargetProblem(target));
        EnsureReady();
        return new VolumeMount(Name, target, readOnly);
    }

    /// <inheritdoc cref="IsolatedContainerVolume.ReadFilesAsync"/>
    public async Task<IReadOnlyDictionary<string, string>> ReadFilesAsync(IEnumerable<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = names.Distinct(StringComparer.Ordinal).ToList();
        list.ForEach(ValidateFileName);
        if (list.Count > _options.MaxEntries)
        {
            throw new VolumeReadLimitExceededException(Name, list[_options.MaxEntries], nameof(IsolatedVolumeOptions.MaxEntries), _options.MaxEntries);
        }

        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = new ByteBudget(_options.MaxTotalBytes, nameof(IsolatedVolumeOptions.MaxTotalBytes));
        // One file at a time: the daemon locks the container for each archive request, so parallel
        // requests on one helper take as long as sequential ones (measured on Docker 20.10).
        await WithReadHelperAsync(async (api, helper) =>
        {
            foreach (var name in list)
            {
                using var buffer = new MemoryStream();
                var perFile = new ByteBudget(_options.MaxFileBytes, nameof(IsolatedVolumeOptions.MaxFileBytes));
                await CopyOutAsync(api, helper, name, [perFile, total, _bufferedReads], buffer, cancellationToken).ConfigureAwait(false);
                contents[name] = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }

            Log.FilesRead(_logger, list.Count, total.Used, Name);
            _metrics.BytesOut(total.Used);
        }, cancellationToken).ConfigureAwait(false);
        return contents;
    }

    /// <inheritdoc cref="IsolatedContainerVolume.ReadFileBytesAsync"/>
    public async Task<byte[]> ReadFileBytesAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateFileName(name);
        using var buffer = new MemoryStream();
        await WithReadHelperAsync(
            (api, helper) => CopyOutAsync(api, helper, name, [new ByteBudget(_options.MaxFileBytes, nameof(IsolatedVolumeOptions.MaxFileBytes)), _bufferedReads], buffer, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <inheritdoc cref="IsolatedContainerVolume.ReadDirectoryAsync"/>
    public async Task<IReadOnlyDictionary<string, byte[]>> ReadDirectoryAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateFileName(name);
        IReadOnlyDictionary<string, byte[]> files = new Dictionary<string, byte[]>();
        await WithReadHelperAsync(async (api, helper) => files = await ReadFolderAsync(api, helper, name, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return files;
    }

    /// <inheritdoc cref="IsolatedContainerVolume.CopyFileToAsync"/>
    public async Task CopyFileToAsync(string name, Stream destination, CancellationToken cancellationToken = default)
    {
        ValidateFileName(name);
        ArgumentNullException.ThrowIfNull(destination);
        await WithReadHelperAsync(
            (api, helper) => CopyOutAsync(api, helper, name, [new ByteBudget(_options.MaxStreamedFileBytes, nameof(IsolatedVolumeOptions.MaxStreamedFileBytes))], destination, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="IsolatedContainerVolume.CleanupAsync"/>
    public async Task CleanupAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _state = State.Closed;
            OwnedVolumes.Remove(Name); // no tool may mount it from now on
            await RemoveEverythingAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private void EnsureReady()
    {
        if (_state != State.Ready)
        {
            throw new InvalidOperationException(_state == State.New
                ? $"Volume '{Name}' is not initialized; call InitializeAsync first (with no files for an output volume)."
                : $"Volume '{Name}' was cleaned up.");
        }
    }

    private void ValidateFiles(List<VolumeFile> files)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            ArgumentNullException.ThrowIfNull(file, nameof(files));
            ValidateFileName(file.Name);
            if (!names.Add(file.Name))
            {
                throw new VolumeValidationException("name", file.Name, "the name appears more than once");
            }
        }

        foreach (var directory in VolumeArchiveWriter.DirectoriesOf(files.Select(f => f.Name), OutputFolders))
        {
            if (names.Contains(directory))
            {
                throw new VolumeValidationException("name", directory, "the name is used both as a file and as a directory");
            }
        }
    }

    private static void ValidateFileName(string name) =>
        ThrowIfInvalid("name", name, VolumePathRules.GetFileNameProblem(name));

    private static void ThrowIfInvalid(string paramName, string? value, string? problem)
    {
        if (problem is not null)
        {
            throw new VolumeValidationException(paramName, value, problem);
        }
    }
}
