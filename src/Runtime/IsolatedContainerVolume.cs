using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VolumeGen.Archives;
using VolumeGen.Docker;
using VolumeGen.Running;
using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// A Docker named volume that belongs to one tenant's run: created and filled by
/// <see cref="InitializeAsync(IEnumerable{VolumeFile}, CancellationToken)"/>, mounted into a tool
/// through <see cref="GetVolumeConfig"/>, read back safely, and removed by <see cref="CleanupAsync"/>
/// (or <c>await using</c>). Works under Docker-in-Docker because nothing is bind-mounted from the
/// worker's filesystem: files travel through the Engine API's archive endpoints.
/// </summary>
public sealed class IsolatedContainerVolume : IAsyncDisposable
{
    private readonly IsolatedVolumeOptions _options;
    private readonly VolumeLabels _labels;
    private readonly ILogger _logger;
    private readonly string _instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly ByteBudget _bufferedReads;
    private IDockerClient? _client;
    private IDockerClient? _transfers;
    private Task<string>? _preparedReadHelper;
    private bool _volumeExists;
    private State _state = State.New;

    /// <summary>
    /// Prepares (without touching Docker) a volume for <paramref name="tenantId"/> and <paramref name="runId"/>.
    /// </summary>
    /// <exception cref="VolumeValidationException">An identifier is empty, too long or has characters outside [A-Za-z0-9_.-].</exception>
    public IsolatedContainerVolume(string tenantId, string runId, IsolatedVolumeOptions? options = null)
        : this(tenantId, runId, OwnerFrom(options ?? IsolatedVolumeOptions.Default), options)
    {
    }

    /// <summary>
    /// Prepares (without touching Docker) a volume for <paramref name="tenantId"/> and <paramref name="runId"/>
    /// whose files belong to <paramref name="owner"/>: the user the tool that mounts it runs as, from
    /// <see cref="ContainerToolRunner.ResolveUserAsync"/>. With every capability dropped, no other user
    /// (root included) can read its inputs or write its outputs, and the runner refuses to mount it
    /// into a tool that runs as someone else.
    /// </summary>
    /// <exception cref="VolumeValidationException">An identifier is empty, too long or has characters outside [A-Za-z0-9_.-].</exception>
    public IsolatedContainerVolume(string tenantId, string runId, ToolUser owner, IsolatedVolumeOptions? options = null)
    {
        ThrowIfInvalid(nameof(tenantId), tenantId, IdentifierRules.GetProblem(tenantId));
        ThrowIfInvalid(nameof(runId), runId, IdentifierRules.GetProblem(runId));
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
        _logger = _options.LoggerFactory?.CreateLogger<IsolatedContainerVolume>() ?? NullLogger<IsolatedContainerVolume>.Instance;
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

    /// <summary>True between a successful initialize and cleanup.</summary>
    public bool IsInitialized => _state == State.Ready;

    /// <summary>Creates the volume and writes text files into it as UTF-8 (no byte-order mark).</summary>
    public Task InitializeAsync(IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        return InitializeAsync(files.Select(f => VolumeFile.FromText(f.Key, f.Value)), cancellationToken);
    }

    /// <summary>Creates the volume and writes binary files into it, byte for byte.</summary>
    public Task InitializeAsync(IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        return InitializeAsync(files.Select(f => VolumeFile.FromBytes(f.Key, f.Value)), cancellationToken);
    }

    /// <summary>
    /// Creates the volume and writes <paramref name="files"/> into it in one streamed upload. An empty
    /// set is valid (an output volume): the volume root still gets the configured owner and mode, so a
    /// nonroot tool can write into it. On any failure, including cancellation, everything created so
    /// far is removed before the exception propagates.
    /// </summary>
    /// <exception cref="VolumeValidationException">A file name is unsafe or appears twice; nothing was created.</exception>
    public async Task InitializeAsync(IEnumerable<VolumeFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var list = files.ToList();
        ValidateFiles(list);

        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state != State.New)
            {
                throw new InvalidOperationException($"Volume '{Name}' was already initialized{(_state == State.Closed ? " and cleaned up" : "")}.");
            }

            using var activity = VolumeGenTelemetry.Start("volume.initialize", Name);
            activity?.SetTag("volumegen.files", list.Count);
            await using var spool = new InputSpool(_options.SpoolDirectory, _options.MaxStreamedFileBytes, _options.TransferInactivityTimeout);
            try
            {
                // Spooled before the volume exists: a stream that breaks or is too long leaves nothing.
                list = await spool.WithKnownLengthsAsync(list, cancellationToken).ConfigureAwait(false);
                await CreateAndFillAsync(list, cancellationToken).ConfigureAwait(false);
                _state = State.Ready;
                if (list.Count == 0)
                {
                    // An empty volume is an output volume: it will be read back after the tool ran.
                    // Its read-only helper is created now, while the tool runs, not after it.
                    _preparedReadHelper = CreateReadHelperAsync(_client!, CancellationToken.None);
                }
            }
            catch (Exception e)
            {
                activity.Fail(e);
                Log.InitializeFailed(_logger, e, Name);
                _state = State.Closed;
                OwnedVolumes.Remove(Name);
                await RemoveEverythingAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>The mount for a tool container. Input volumes stay read-only; make one writable only for outputs.</summary>
    /// <exception cref="InvalidOperationException">The volume is not initialized, or already cleaned up.</exception>
    /// <exception cref="VolumeValidationException"><paramref name="target"/> is not an absolute container path.</exception>
    public VolumeMount GetVolumeConfig(string target, bool readOnly = true)
    {
        ThrowIfInvalid(nameof(target), target, VolumePathRules.GetMountTargetProblem(target));
        EnsureReady();
        return new VolumeMount(Name, target, readOnly);
    }

    /// <summary>
    /// Reads text files (UTF-8). Every name must exist and be a regular file; a missing one throws
    /// <see cref="VolumeFileNotFoundException"/>, never a silent omission.
    /// </summary>
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
        await WithReadHelperAsync(async (client, helper) =>
        {
            foreach (var name in list)
            {
                using var buffer = new MemoryStream();
                var perFile = new ByteBudget(_options.MaxFileBytes, nameof(IsolatedVolumeOptions.MaxFileBytes));
                await CopyOutAsync(client, helper, name, [perFile, total, _bufferedReads], buffer, cancellationToken).ConfigureAwait(false);
                contents[name] = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }

            Log.FilesRead(_logger, list.Count, total.Used, Name);
        }, cancellationToken).ConfigureAwait(false);
        return contents;
    }

    /// <summary>Reads one file byte for byte, up to <see cref="IsolatedVolumeOptions.MaxFileBytes"/>.</summary>
    public async Task<byte[]> ReadFileBytesAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateFileName(name);
        using var buffer = new MemoryStream();
        await WithReadHelperAsync(
            (client, helper) => CopyOutAsync(client, helper, name, [new ByteBudget(_options.MaxFileBytes, nameof(IsolatedVolumeOptions.MaxFileBytes)), _bufferedReads], buffer, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>
    /// Streams one file into <paramref name="destination"/> without buffering it whole, up to
    /// <see cref="IsolatedVolumeOptions.MaxStreamedFileBytes"/>.
    /// </summary>
    public async Task CopyFileToAsync(string name, Stream destination, CancellationToken cancellationToken = default)
    {
        ValidateFileName(name);
        ArgumentNullException.ThrowIfNull(destination);
        await WithReadHelperAsync(
            (client, helper) => CopyOutAsync(client, helper, name, [new ByteBudget(_options.MaxStreamedFileBytes, nameof(IsolatedVolumeOptions.MaxStreamedFileBytes))], destination, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the volume and any helper containers left on it. Idempotent and safe to call after a
    /// failed or cancelled initialize. Transient failures (volume still in use, daemon busy) are
    /// retried; <paramref name="cancellationToken"/> only stops the waiting between retries, so a cancelled run still
    /// gets its first removal attempt.
    /// </summary>
    /// <exception cref="VolumeCleanupException">The volume could not be removed; it is leaked until swept.</exception>
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

    /// <summary>Calls <see cref="CleanupAsync"/>; a volume that could not be removed is reported, not swallowed.</summary>
    public async ValueTask DisposeAsync() => await CleanupAsync().ConfigureAwait(false);

    private async Task CreateAndFillAsync(List<VolumeFile> files, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var client = _client = await DockerConnections.GetClientAsync(_options, cancellationToken).ConfigureAwait(false);
        _transfers = await DockerConnections.GetTransferClientAsync(_options, cancellationToken).ConfigureAwait(false);
        await HelperImage.EnsureAsync(client, _options.HelperImage, cancellationToken).ConfigureAwait(false);

        var engine = await EngineProfile.ForAsync(client, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _volumeExists = true; // From here on a failure may leave a volume: cleanup must try.
        // Not aborted by the caller's token: a create cancelled in flight may still complete on the
        // daemon after our cleanup looked for it, leaving a volume nobody removes.
        using var createTimeout = new CancellationTokenSource(ContainerCalls.UncancellableCallTimeout);
        var volume = await client.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = Name,
            Driver = "local",
            DriverOpts = engine.OwnerInVolumeOptions
                ? new Dictionary<string, string> { ["o"] = string.Create(CultureInfo.InvariantCulture, $"uid={Owner.Uid},gid={Owner.Gid}") }
                : null!,
            Labels = _labels.For(VolumeLabels.RoleVolume, TenantId, RunId, instance: _instance, user: Owner),
        }, createTimeout.Token).ConfigureAwait(false);
        if (volume.Labels is null || !volume.Labels.TryGetValue(_labels.Instance, out var instance) || instance != _instance)
        {
            // Someone else's volume has this name; it must survive our cleanup.
            _volumeExists = false;
            throw new VolumeGenException($"Volume '{Name}' already exists and belongs to someone else; refusing to use it.");
        }

        OwnedVolumes.Add(Name, _instance);
        Log.VolumeCreated(_logger, Name, TenantId, RunId);
        cancellationToken.ThrowIfCancellationRequested();
        var helper = await HelperContainers.CreateAsync(client, _options.HelperImage, Name, readOnly: false, HelperLabels(), cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await UploadAsync(client, helper, files, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ContainerCalls.RemoveAsync(client, helper).ConfigureAwait(false);
        }

        Log.FilesWritten(_logger, files.Count, files.Sum(f => f.Length ?? 0), Name, stopwatch.ElapsedMilliseconds);
    }

    private async Task UploadAsync(IDockerClient client, string helper, List<VolumeFile> files, CancellationToken cancellationToken)
    {
        var layout = await EngineProfile.ForAsync(client, cancellationToken).ConfigureAwait(false);
        // Bounded by inactivity, not total time: a slow but moving upload goes on, a stalled one stops.
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        using var producing = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token);
        var writer = new VolumeArchiveWriter(Owner.Uid, Owner.Gid, _options.FileMode, _options.DirectoryMode);
        var (archive, producer) = writer.Start(layout.EntryPrefix, files, producing.Token);
        await using (archive.ConfigureAwait(false))
        {
            try
            {
                await _transfers!.Containers.ExtractArchiveToContainerAsync(
                    helper, new CopyToContainerParameters { Path = layout.ExtractPath }, watchdog.Watch(archive), watchdog.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Stop the producer (it may be blocked on a pipe nobody reads) before leaving.
                await producing.CancelAsync().ConfigureAwait(false);
                await producer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
                if (watchdog.Stalled && !cancellationToken.IsCancellationRequested)
                {
                    throw new VolumeTransferStalledException(Name, "upload", _options.TransferInactivityTimeout, e);
                }

                if (producer.IsFaulted)
                {
                    // A source stream that broke the upload (too short, too long, failing) is the real error.
                    await producer.ConfigureAwait(false);
                }

                throw;
            }

            await producer.ConfigureAwait(false);
        }
    }

    private async Task WithReadHelperAsync(Func<IDockerClient, string, Task> read, CancellationToken cancellationToken)
    {
        EnsureReady();
        // Held for the whole read: a helper created after a concurrent cleanup removed the volume
        // would make Docker silently create a new, unlabeled volume of the same name.
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureReady();
            var client = _client!;
            using var activity = VolumeGenTelemetry.Start("volume.read", Name);
            var helper = await TakeLivePreparedReadHelperAsync(client, cancellationToken).ConfigureAwait(false)
                ?? await CreateReadHelperAsync(client, cancellationToken).ConfigureAwait(false);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await read(client, helper).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                activity.Fail(e);
                throw;
            }
            finally
            {
                await ContainerCalls.RemoveAsync(client, helper).ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private Task<string> CreateReadHelperAsync(IDockerClient client, CancellationToken cancellationToken) =>
        HelperContainers.CreateAsync(client, _options.HelperImage, Name, readOnly: true, HelperLabels(), cancellationToken);

    /// <summary>The helper prepared at initialize, if it was and its creation succeeded; each is used once.</summary>
    private async Task<string?> TakePreparedReadHelperAsync()
    {
        var prepared = Interlocked.Exchange(ref _preparedReadHelper, null);
        if (prepared is null)
        {
            return null;
        }

        try
        {
            return await prepared.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // the caller creates one the usual way and reports what goes wrong then
        }
    }

    /// <summary>
    /// The prepared helper if it still exists: an operator's <c>docker container prune</c> while the
    /// tool ran removes it, and a read through a removed container would look like a missing file.
    /// </summary>
    private async Task<string?> TakeLivePreparedReadHelperAsync(IDockerClient client, CancellationToken cancellationToken)
    {
        if (await TakePreparedReadHelperAsync().ConfigureAwait(false) is not { } helper)
        {
            return null;
        }

        return await ContainerExistsAsync(client, helper, cancellationToken).ConfigureAwait(false) ? helper : null;
    }

    private static async Task<bool> ContainerExistsAsync(IDockerClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            await client.Containers.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>A 404 from the archive API means a missing file only while the helper still exists.</summary>
    private async Task<Exception> NotFoundAsync(IDockerClient client, string helper, string name)
    {
        using var timeout = new CancellationTokenSource(ContainerCalls.UncancellableCallTimeout);
        return await ContainerExistsAsync(client, helper, timeout.Token).ConfigureAwait(false)
            ? new VolumeFileNotFoundException(Name, name)
            : new VolumeGenException($"The read helper of volume '{Name}' was removed while '{name}' was being read " +
                "(an operator's `docker container prune`?); the file's presence is unknown. Read it again.");
    }

    private async Task<long> CopyOutAsync(
        IDockerClient client, string helper, string name, IReadOnlyList<ByteBudget> budgets, Stream destination, CancellationToken cancellationToken)
    {
        // The daemon resolves symlinks in parent directories inside the helper's filesystem, so a
        // tool could point "sub" elsewhere: every parent must be a real directory.
        for (var slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            var parent = await StatAsync(client, helper, name, name[..slash], cancellationToken).ConfigureAwait(false);
            if (!PathStat.IsDirectory(parent, $"{HelperContainers.MountPath}/{name[..slash]}"))
            {
                throw new UnsafeVolumeEntryException(Name, name, $"path whose parent '{name[..slash]}' is a {PathStat.Kind(parent, $"{HelperContainers.MountPath}/{name[..slash]}") ?? "regular file"}");
            }
        }

        // Bounded by inactivity, not total time, like uploads.
        using var watchdog = new TransferWatchdog(_options.TransferInactivityTimeout, cancellationToken);
        try
        {
            ContainerArchiveResponse response;
            try
            {
                response = await _transfers!.Containers.GetArchiveFromContainerAsync(
                    helper, new ContainerPathStatParameters { Path = $"{HelperContainers.MountPath}/{name}" }, false, watchdog.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (DockerErrors.IsNotFound(e))
            {
                throw await NotFoundAsync(client, helper, name).ConfigureAwait(false);
            }

            var archive = response.Stream ?? throw new VolumeGenException($"The daemon returned no archive for '{name}' in volume '{Name}'.");
            await using (archive.ConfigureAwait(false))
            {
                if (PathStat.Kind(response.Stat, $"{HelperContainers.MountPath}/{name}") is { } kind)
                {
                    throw new UnsafeVolumeEntryException(Name, name, kind);
                }

                foreach (var budget in budgets)
                {
                    budget.EnsureFits(response.Stat.Size, Name, name);
                }

                return await SingleFileArchiveReader.CopyAsync(watchdog.Watch(archive), Name, name, budgets, destination, watchdog.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (watchdog.Stalled && !cancellationToken.IsCancellationRequested)
        {
            throw new VolumeTransferStalledException(Name, "download", _options.TransferInactivityTimeout, e);
        }
    }

    private async Task<ContainerPathStatResponse> StatAsync(IDockerClient client, string helper, string name, string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.Containers.GetArchiveFromContainerAsync(
                helper, new ContainerPathStatParameters { Path = $"{HelperContainers.MountPath}/{path}" }, true, cancellationToken).ConfigureAwait(false);
            return response.Stat;
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            throw await NotFoundAsync(client, helper, name).ConfigureAwait(false);
        }
    }

    private async Task RemoveEverythingAsync(CancellationToken cancellationToken)
    {
        if (!_volumeExists || _client is not { } client)
        {
            return;
        }

        using var activity = VolumeGenTelemetry.Start("volume.cleanup", Name);
        // A read helper still being created must exist before the removal below looks for the
        // containers on this volume (which removes it, with retries, like any other).
        await TakePreparedReadHelperAsync().ConfigureAwait(false);

        var attempts = Math.Max(1, _options.CleanupAttempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RemoveContainersUsingVolumeAsync(client).ConfigureAwait(false);
                using var timeout = new CancellationTokenSource(ContainerCalls.UncancellableCallTimeout);
                await client.Volumes.RemoveAsync(Name, false, timeout.Token).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (DockerErrors.IsNotFound(e))
            {
                break;
            }
            catch (Exception e) when (attempt < attempts && IsRetryable(e) && !cancellationToken.IsCancellationRequested)
            {
                Log.VolumeRemovalRetry(_logger, e, Name, attempt, attempts);
                try
                {
                    await Task.Delay(_options.CleanupRetryDelay * Math.Pow(2, attempt - 1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw Leaked(activity, attempt, e);
                }
            }
            catch (Exception e)
            {
                throw Leaked(activity, attempt, e);
            }
        }

        _volumeExists = false;
        AbandonedVolumes.Remove(Name);
        Log.VolumeRemoved(_logger, Name);
    }

    private static bool IsRetryable(Exception e) => DockerErrors.IsTransient(e) || e is OperationCanceledException;

    private VolumeCleanupException Leaked(Activity? activity, int attempt, Exception cause)
    {
        // The run is over even though this process lives on: let the sweeper take the volume.
        AbandonedVolumes.Add(Name);
        var error = new VolumeCleanupException(Name, attempt, cause);
        activity.Fail(error);
        Log.VolumeLeaked(_logger, error, Name);
        return error;
    }

    /// <summary>
    /// Removes the containers VolumeGen created that still hold this volume: helpers left by an
    /// interrupted read, or a tool container whose removal did not complete. Other containers are
    /// not ours to remove; they make the volume removal fail and be reported.
    /// </summary>
    private async Task RemoveContainersUsingVolumeAsync(IDockerClient client)
    {
        using var timeout = new CancellationTokenSource(ContainerCalls.UncancellableCallTimeout);
        var filters = _labels.Filter();
        filters["volume"] = new Dictionary<string, bool> { [Name] = true };
        var containers = await client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filters }, timeout.Token).ConfigureAwait(false);
        // Checked here as well: an engine that ORs the filters must not make us remove others' containers.
        foreach (var container in containers.Where(c => _labels.Matches(c.Labels) && c.Mounts?.Any(m => m.Name == Name) == true))
        {
            await ContainerCalls.RemoveAsync(client, container.ID).ConfigureAwait(false);
        }
    }

    private Dictionary<string, string> HelperLabels() =>
        _labels.For(VolumeLabels.RoleHelper, TenantId, RunId, volumeName: Name);

    private void EnsureReady()
    {
        if (_state != State.Ready)
        {
            throw new InvalidOperationException(_state == State.New
                ? $"Volume '{Name}' is not initialized; call InitializeAsync first (with no files for an output volume)."
                : $"Volume '{Name}' was cleaned up.");
        }
    }

    private static void ValidateFiles(List<VolumeFile> files)
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

        foreach (var directory in VolumeArchiveWriter.DirectoriesOf(files))
        {
            if (names.Contains(directory))
            {
                throw new VolumeValidationException("name", directory, "the name is used both as a file and as a directory");
            }
        }
    }

    private static ToolUser OwnerFrom(IsolatedVolumeOptions options) => new(options.OwnerUid, options.OwnerGid);

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
