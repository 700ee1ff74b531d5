using System.Formats.Tar;
using VolumeGen.Validation;

namespace VolumeGen.Archives;

/// <summary>
/// Reads the tar the engine returns for a folder and takes every regular file under it, trusting
/// nothing in it: every entry must lie under the folder asked for, with a name that passes the same
/// rules as a file name the caller gives; links, devices and FIFOs fail the read (as they do for a
/// single file); the entry count and every byte are charged to the limits as they arrive.
/// </summary>
internal static class DirectoryArchiveReader
{
    /// <summary>The regular files under <paramref name="folder"/>, keyed by their path relative to it ('/'-separated).</summary>
    public static async Task<IReadOnlyDictionary<string, byte[]>> ReadAsync(
        Stream archive, string volumeName, string folder, int maxEntries, long maxFileBytes, IReadOnlyList<ByteBudget> budgets, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadCoreAsync(archive, volumeName, folder, maxEntries, maxFileBytes, budgets, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new VolumeGenException($"The archive of folder '{folder}' from volume '{volumeName}' ended early (truncated tar).", e);
        }
    }

    private static async Task<IReadOnlyDictionary<string, byte[]>> ReadCoreAsync(
        Stream archive, string volumeName, string folder, int maxEntries, long maxFileBytes, IReadOnlyList<ByteBudget> budgets, CancellationToken cancellationToken)
    {
        // The engine names entries after the folder's last component: "reports/", "reports/a.json".
        var root = folder[(folder.LastIndexOf('/') + 1)..];
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var reader = new TarReader(new NoEmptyReadStream(archive), leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var name = entry.Name.TrimEnd('/');
            if (name == root && entry.EntryType == TarEntryType.Directory)
            {
                continue;
            }

            var relative = name.StartsWith(root + "/", StringComparison.Ordinal) ? name[(root.Length + 1)..] : null;
            var path = $"{folder}/{relative}";
            if (relative is null || VolumePathRules.GetFileNameProblem(relative) is not null)
            {
                throw new UnsafeVolumeEntryException(volumeName, folder, $"folder whose archive holds an entry named '{entry.Name}'");
            }

            if (entry.EntryType == TarEntryType.Directory)
            {
                continue;
            }

            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                throw new UnsafeVolumeEntryException(volumeName, path, SingleFileArchiveReader.Describe(entry.EntryType));
            }

            if (files.Count == maxEntries)
            {
                throw new VolumeReadLimitExceededException(volumeName, path, nameof(IsolatedVolumeOptions.MaxEntries), maxEntries);
            }

            IReadOnlyList<ByteBudget> charged = [new ByteBudget(maxFileBytes, nameof(IsolatedVolumeOptions.MaxFileBytes)), .. budgets];
            foreach (var budget in charged)
            {
                budget.EnsureFits(entry.Length, volumeName, path);
            }

            using var content = new MemoryStream();
            await SingleFileArchiveReader.CopyChargedAsync(entry.DataStream, volumeName, path, charged, content, cancellationToken).ConfigureAwait(false);
            files[relative] = content.ToArray();
        }

        return files;
    }
}
