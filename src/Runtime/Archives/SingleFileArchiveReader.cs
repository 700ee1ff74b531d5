using System.Formats.Tar;

namespace VolumeGen.Archives;

/// <summary>
/// Reads the tar the daemon returns for one file and copies its content out, trusting nothing in it:
/// exactly one entry, a regular file with the expected name, and the byte limit counted on the bytes
/// actually read, not on the header's size.
/// </summary>
internal static class SingleFileArchiveReader
{
    private const int BufferSize = 81920;

    /// <summary>
    /// Copies the single file in <paramref name="archive"/> to <paramref name="destination"/>, charging
    /// every byte to each of <paramref name="budgets"/>; returns the byte count.
    /// </summary>
    public static async Task<long> CopyAsync(
        Stream archive, string volumeName, string fileName, IReadOnlyList<ByteBudget> budgets,
        Stream destination, CancellationToken cancellationToken)
    {
        try
        {
            return await CopyCoreAsync(archive, volumeName, fileName, budgets, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new ArchiveCorruptException($"'{fileName}' from {volumeName}", "ended early (truncated tar)", e);
        }
    }

    private static async Task<long> CopyCoreAsync(
        Stream archive, string volumeName, string fileName, IReadOnlyList<ByteBudget> budgets,
        Stream destination, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(new NoEmptyReadStream(archive), leaveOpen: true);
        var entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false)
            ?? throw new VolumeFileNotFoundException(volumeName, fileName);

        var expectedName = fileName[(fileName.LastIndexOf('/') + 1)..];
        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
        {
            throw new UnsafeVolumeEntryException(volumeName, fileName, Describe(entry.EntryType));
        }

        if (entry.Name != expectedName)
        {
            throw new UnsafeVolumeEntryException(volumeName, fileName, $"archive entry named '{entry.Name}'");
        }

        ByteBudget.EnsureAllFit(budgets, entry.Length, volumeName, fileName);

        var total = await CopyChargedAsync(entry.DataStream, volumeName, fileName, budgets, destination, cancellationToken).ConfigureAwait(false);
        if (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } extra)
        {
            throw new UnsafeVolumeEntryException(volumeName, fileName, $"archive with an extra entry '{extra.Name}'");
        }

        return total;
    }

    /// <summary>Copies an entry's data, charging every byte read (not the header's size) to each budget first.</summary>
    public static async Task<long> CopyChargedAsync(
        Stream? data, string volumeName, string fileName, IReadOnlyList<ByteBudget> budgets, Stream destination, CancellationToken cancellationToken)
    {
        long total = 0;
        if (data is null)
        {
            return total;
        }

        var buffer = new byte[BufferSize];
        int read;
        while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            foreach (var budget in budgets)
            {
                budget.Consume(read, volumeName, fileName);
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>A readable name for a non-regular entry type.</summary>
    public static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.SymbolicLink => "symbolic link",
        TarEntryType.HardLink => "hard link",
        TarEntryType.Directory => "directory",
        TarEntryType.Fifo => "FIFO",
        TarEntryType.CharacterDevice => "character device",
        TarEntryType.BlockDevice => "block device",
        _ => $"tar entry of type {type}",
    };
}
