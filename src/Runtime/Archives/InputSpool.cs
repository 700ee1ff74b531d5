namespace VolumeGen.Archives;

/// <summary>
/// Turns input streams of unknown length into files of known length: each is copied to a private
/// temporary file (mode 0600, unlinked as soon as it is open, so even a crash leaves nothing on
/// disk), in bounded memory and up to a byte limit. Disposing closes, and so deletes, every spool file.
/// </summary>
internal sealed class InputSpool(string? directory, long maxBytes, TimeSpan inactivity) : IAsyncDisposable
{
    private const int BufferSize = 81920;

    private readonly List<FileStream> _spools = [];

    /// <summary><paramref name="files"/> with every unknown-length stream replaced by its spooled copy.</summary>
    public async Task<List<VolumeFile>> WithKnownLengthsAsync(List<VolumeFile> files, CancellationToken cancellationToken)
    {
        var result = new List<VolumeFile>(files.Count);
        foreach (var file in files)
        {
            if (file.StreamToSpool is not { } source)
            {
                result.Add(file);
                continue;
            }

            var spool = Open();
            _spools.Add(spool);
            // A source that stops delivering (a hung network stream) fails like a stalled upload.
            using var watchdog = new TransferWatchdog(inactivity, cancellationToken);
            try
            {
                await CopyBoundedAsync(watchdog.Watch(source), spool, file.Name, watchdog.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (watchdog.Stalled && !cancellationToken.IsCancellationRequested)
            {
                throw new VolumeTransferStalledException($"(spool of '{file.Name}')", "input stream", inactivity, e);
            }

            spool.Position = 0;
            result.Add(VolumeFile.FromStream(file.Name, spool, spool.Length));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var spool in _spools)
        {
            await spool.DisposeAsync().ConfigureAwait(false);
        }

        _spools.Clear();
    }

    private FileStream Open()
    {
        var path = Path.Combine(directory ?? Path.GetTempPath(), $"volumegen-spool-{Guid.NewGuid():N}");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous | (OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None),
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // a tenant's data: nobody else reads it
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path); // the open handle keeps the data; the name is gone, crash or not
        }

        return stream;
    }

    private async Task CopyBoundedAsync(Stream source, FileStream spool, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new VolumeWriteLimitExceededException(name, nameof(IsolatedVolumeOptions.MaxStreamedFileBytes), maxBytes);
            }

            await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }
}
