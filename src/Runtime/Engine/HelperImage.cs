using System.Formats.Tar;

namespace VolumeGen.Engine;

/// <summary>
/// Makes sure the helper image exists. The default one is imported from an in-memory tar holding a
/// single empty directory: nothing to pull (no registry), nothing to run, nothing a symlink could leak.
/// </summary>
internal static class HelperImage
{
    private static readonly SingleFlight<(DockerApi Api, string Image), bool> Ensured = new(keepResults: true);

    /// <summary>
    /// Forgets that the image was there: an operator may have removed it since (<c>docker image
    /// prune -a</c>); the next <see cref="EnsureAsync"/> checks, and imports the default one, again.
    /// </summary>
    public static void Forget(DockerApi api, string image) => Ensured.Forget((api, image));

    public static Task EnsureAsync(DockerApi api, string image, CancellationToken cancellationToken) =>
        Ensured.GetAsync((api, image), key => EnsureCoreAsync(key.Api, key.Image), cancellationToken);

    /// <summary>True once the image is there (found, or imported now).</summary>
    private static async Task<bool> EnsureCoreAsync(DockerApi api, string image)
    {
        if (await api.InspectImageAsync(image, CancellationToken.None).ConfigureAwait(false) is not null)
        {
            return true;
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
        return true;
    }
}
