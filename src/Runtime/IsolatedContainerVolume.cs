using VolumeGen.Engine;

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
    public IsolatedContainerVolume(string tenantId, string runId, ToolUser owner, IsolatedVolumeOptions? options = null) =>
        Docker = new DockerVolume(tenantId, runId, owner, options);

    /// <summary>The Docker volume name: <c>tenant-{tenantId}-run-{runId}-{unix-ms}-{random suffix}</c>.</summary>
    public string Name => Docker.Name;

    /// <summary>The tenant the volume belongs to.</summary>
    public string TenantId => Docker.TenantId;

    /// <summary>The run the volume belongs to.</summary>
    public string RunId => Docker.RunId;

    /// <summary>The user that owns the volume root and every file written into it.</summary>
    public ToolUser Owner => Docker.Owner;

    /// <summary>True between a successful initialize and cleanup.</summary>
    public bool IsInitialized => Docker.IsInitialized;

    /// <summary>The volume on the engine, which does the work: the Docker backend holds it directly.</summary>
    internal DockerVolume Docker { get; }

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
    public Task InitializeAsync(IEnumerable<VolumeFile> files, CancellationToken cancellationToken = default) =>
        Docker.InitializeAsync(files, cancellationToken);

    /// <summary>The mount for a tool container. Input volumes stay read-only; make one writable only for outputs.</summary>
    /// <exception cref="InvalidOperationException">The volume is not initialized, or already cleaned up.</exception>
    /// <exception cref="VolumeValidationException"><paramref name="target"/> is not an absolute container path.</exception>
    public VolumeMount GetVolumeConfig(string target, bool readOnly = true) => Docker.GetVolumeConfig(target, readOnly);

    /// <summary>
    /// Reads text files (UTF-8). Every name must exist and be a regular file; a missing one throws
    /// <see cref="VolumeFileNotFoundException"/>, never a silent omission.
    /// </summary>
    public Task<IReadOnlyDictionary<string, string>> ReadFilesAsync(IEnumerable<string> names, CancellationToken cancellationToken = default) =>
        Docker.ReadFilesAsync(names, cancellationToken);

    /// <summary>Reads one file byte for byte, up to <see cref="IsolatedVolumeOptions.MaxFileBytes"/>.</summary>
    public Task<byte[]> ReadFileBytesAsync(string name, CancellationToken cancellationToken = default) =>
        Docker.ReadFileBytesAsync(name, cancellationToken);

    /// <summary>
    /// Reads every regular file under the folder <paramref name="name"/> (subfolders included) in one
    /// archive request, keyed by the path relative to that folder. Bounded like every buffered read:
    /// at most <see cref="IsolatedVolumeOptions.MaxEntries"/> files, each up to
    /// <see cref="IsolatedVolumeOptions.MaxFileBytes"/>, all together up to <see cref="IsolatedVolumeOptions.MaxTotalBytes"/>.
    /// A link, device or FIFO anywhere under it fails the read (<see cref="UnsafeVolumeEntryException"/>),
    /// as does a folder that is a link; a missing folder is a <see cref="VolumeFileNotFoundException"/>.
    /// </summary>
    public Task<IReadOnlyDictionary<string, byte[]>> ReadDirectoryAsync(string name, CancellationToken cancellationToken = default) =>
        Docker.ReadDirectoryAsync(name, cancellationToken);

    /// <summary>
    /// Streams one file into <paramref name="destination"/> without buffering it whole, up to
    /// <see cref="IsolatedVolumeOptions.MaxStreamedFileBytes"/>.
    /// </summary>
    public Task CopyFileToAsync(string name, Stream destination, CancellationToken cancellationToken = default) =>
        Docker.CopyFileToAsync(name, destination, cancellationToken);

    /// <summary>
    /// Removes the volume and any helper containers left on it. Idempotent and safe to call after a
    /// failed or cancelled initialize. Transient failures (volume still in use, daemon busy) are
    /// retried; <paramref name="cancellationToken"/> only stops the waiting between retries, so a cancelled run still
    /// gets its first removal attempt.
    /// </summary>
    /// <exception cref="VolumeCleanupException">The volume could not be removed; it is leaked until swept.</exception>
    public Task CleanupAsync(CancellationToken cancellationToken = default) => Docker.CleanupAsync(cancellationToken);

    /// <summary>Calls <see cref="CleanupAsync"/>; a volume that could not be removed is reported, not swallowed.</summary>
    public async ValueTask DisposeAsync() => await CleanupAsync().ConfigureAwait(false);

    private static ToolUser OwnerFrom(IsolatedVolumeOptions options) => new(options.OwnerUid, options.OwnerGid);
}
