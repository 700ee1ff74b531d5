using System.Collections.Concurrent;
using System.Formats.Tar;

namespace VolumeGen.Engine;

/// <summary>
/// Makes sure the helper image exists. The default one is imported from an in-memory tar holding a
/// single empty directory: nothing to pull (no registry), nothing to run, nothing a symlink could leak.
/// </summary>
internal static class HelperImage
{
    private static readonly ConcurrentDictionary<(DockerApi, string), Task> Ensured = new();

    /// <summary>
    /// Forgets that the image was there: an operator may have removed it since (<c>docker image
    /// prune -a</c>); the next <see cref="EnsureAsync"/> checks, and imports the default one, again.
    /// </summary>
    public static void Forget(DockerApi api, string image) => Ensured.TryRemove((api, image), out _);

    public static async Task EnsureAsync(DockerApi api, string image, CancellationToken cancellationToken)
    {
        var task = Ensured.GetOrAdd((api, image), key => EnsureCoreAsync(key.Item1, key.Item2));
        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (task.IsFaulted)
        {
            Ensured.TryRemove(new KeyValuePair<(DockerApi, string), Task>((api, image), task));
            throw;
        }
    }

    private static async Task EnsureCoreAsync(DockerApi api, string image)
    {
        if (await api.InspectImageAsync(image, CancellationToken.None).ConfigureAwait(false) is not null)
        {
            return;
        }

        if (image != IsolatedVolumeOptions.DefaultHelperImage)
        {
            throw new ImageNotFoundException(image, "a custom helper image must be on the engine: build or load it, " +
                $"or use the default '{IsolatedVolumeOptions.DefaultHelperImage}', which VolumeGen creates itself");
        }

        using var rootfs = new MemoryStream();
        using (var writer = new TarWriter(rootfs, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "data/")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            });
        }

        rootfs.Position = 0;
        var errors = await api.ImportImageAsync(image, rootfs, CancellationToken.None).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new EngineOperationFailedException($"Importing helper image '{image}'", string.Join("; ", errors));
        }

        _ = await api.InspectImageAsync(image, CancellationToken.None).ConfigureAwait(false)
            ?? throw new ImageNotFoundException(image, "it was imported, but the engine does not list it (pruned meanwhile?)");
    }
}
