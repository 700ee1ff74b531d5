using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace VolumeGen.Docker;

/// <summary>
/// Makes sure the helper image exists. The default one is imported from an in-memory tar holding a
/// single empty directory: nothing to pull (no registry), nothing to run, nothing a symlink could leak.
/// </summary>
internal static class HelperImage
{
    private static readonly ConcurrentDictionary<(IDockerClient, string), Task> Ensured = new();

    /// <summary>
    /// Forgets that the image was there: an operator may have removed it since (<c>docker image
    /// prune -a</c>); the next <see cref="EnsureAsync"/> checks, and imports the default one, again.
    /// </summary>
    public static void Forget(IDockerClient client, string image) => Ensured.TryRemove((client, image), out _);

    public static async Task EnsureAsync(IDockerClient client, string image, CancellationToken cancellationToken)
    {
        var task = Ensured.GetOrAdd((client, image), key => EnsureCoreAsync(key.Item1, key.Item2));
        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (task.IsFaulted)
        {
            Ensured.TryRemove(new KeyValuePair<(IDockerClient, string), Task>((client, image), task));
            throw;
        }
    }

    private static async Task EnsureCoreAsync(IDockerClient client, string image)
    {
        try
        {
            await client.Images.InspectImageAsync(image).ConfigureAwait(false);
            return;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            if (image != IsolatedVolumeOptions.DefaultHelperImage)
            {
                throw new VolumeGenException($"Helper image '{image}' does not exist on the Docker daemon. " +
                    $"Build or load it, or use the default '{IsolatedVolumeOptions.DefaultHelperImage}', which VolumeGen creates itself.", e);
            }
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
        var errors = new List<string>();
        await client.Images.CreateImageAsync(
            // The whole reference goes in "repo": Podman ignores a separate "tag" on imports.
            new ImagesCreateParameters { FromSrc = "-", Repo = image },
            rootfs,
            null,
            new Progress<JSONMessage>(m =>
            {
                if (m.Error is not null)
                {
                    errors.Add(m.Error.Message ?? "unknown error");
                }
            })).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new VolumeGenException($"Importing helper image '{image}' failed: {string.Join("; ", errors)}");
        }

        await client.Images.InspectImageAsync(image).ConfigureAwait(false);
    }
}
