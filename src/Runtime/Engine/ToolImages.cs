using System.Collections.Concurrent;
using System.Text;
using Docker.DotNet.Models;
using VolumeGen.Archives;
using VolumeGen.Users;

namespace VolumeGen.Engine;

/// <summary>
/// What a tool image says about how it runs: its ID, the user it runs as (numeric), and the
/// <c>VOLUME</c>s it declares.
/// </summary>
internal sealed record ToolImage(string Id, ToolUser User, IReadOnlyList<string> Volumes);

/// <summary>
/// Resolves the user a tool container runs as, before any volume exists, so that the volumes can be
/// owned by exactly that user. Names are looked up in the image's own <c>/etc/passwd</c> and
/// <c>/etc/group</c>, read through the archive API of a never-started container of the image: no
/// process of the image runs for it. Resolved users are cached per image ID (a tag may move).
/// </summary>
internal static class ToolImages
{
    /// <summary>The most of /etc/passwd or /etc/group that is read; real ones are a few KiB.</summary>
    private const long MaxAccountFileBytes = 1024 * 1024;

    private static readonly ConcurrentDictionary<(DockerApi Api, string ImageId, string? User), Task<ToolUser>> Users = new();

    public static async Task<ToolImage> ResolveAsync(
        DockerApi api, string image, string? user, IDictionary<string, string> probeLabels, CancellationToken cancellationToken)
    {
        // Checked before Docker is asked anything: a malformed user is the caller's mistake.
        var declared = user is null ? null : UserSpec.Parse(user);
        var inspect = await api.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)
            ?? throw new VolumeGenException($"Image '{image}' does not exist on the Docker daemon; VolumeGen never pulls: pull, load or build it first.");
        var key = (api, inspect.Id, user);
        var task = Users.GetOrAdd(key, _ => ResolveUserAsync(api, image, inspect, declared, probeLabels));
        try
        {
            return new ToolImage(inspect.Id, await task.WaitAsync(cancellationToken).ConfigureAwait(false), inspect.Volumes);
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            // Only answers are cached, never a failure: the next run asks again.
            Users.TryRemove(new KeyValuePair<(DockerApi, string, string?), Task<ToolUser>>(key, task));
            throw;
        }
    }

    private static async Task<ToolUser> ResolveUserAsync(
        DockerApi api, string image, EngineImage inspect, UserSpec? declared, IDictionary<string, string> probeLabels)
    {
        var imageUser = inspect.User;
        var spec = declared ?? (string.IsNullOrEmpty(imageUser) ? null : UserSpec.Parse(imageUser));
        if (spec is null)
        {
            return ToolUser.NonRoot; // the image runs as root and nobody asked for root
        }

        var accounts = spec.NeedsAccounts
            ? await ReadAccountsAsync(api, image, inspect, probeLabels).ConfigureAwait(false)
            : ImageAccounts.None;
        var (resolved, missing) = spec.Resolve(accounts);
        if (resolved is not { } found)
        {
            throw new ToolUserNotFoundException(image, spec.ToString(), missing!);
        }

        // Root only when the tool's declaration asks for it; an image's own root user is not an opt-in.
        return found.IsRoot && declared is null ? ToolUser.NonRoot : found;
    }

    private static async Task<ImageAccounts> ReadAccountsAsync(
        DockerApi api, string image, EngineImage inspect, IDictionary<string, string> probeLabels)
    {
        using var timeout = new CancellationTokenSource(DockerApi.UncancellableCallTimeout);
        // A tmpfs over each image VOLUME, so the create makes no anonymous volume.
        var parameters = HelperContainers.NeverStarted(inspect.Id, probeLabels, new HostConfig { Tmpfs = inspect.Volumes.ToDictionary(v => v, _ => "size=1k") });
        var probe = await api.CreateContainerAsync(parameters, timeout.Token).ConfigureAwait(false);
        try
        {
            var passwd = await ReadTextAsync(api, image, probe, "/etc/passwd", timeout.Token).ConfigureAwait(false);
            var group = await ReadTextAsync(api, image, probe, "/etc/group", timeout.Token).ConfigureAwait(false);
            return ImageAccounts.Parse(passwd, group);
        }
        finally
        {
            await api.RemoveContainerAsync(probe).ConfigureAwait(false);
        }
    }

    /// <summary>A missing file is empty (scratch images have none); anything but a small regular file is an error.</summary>
    private static async Task<string> ReadTextAsync(DockerApi api, string image, string container, string path, CancellationToken cancellationToken)
    {
        if (await api.GetArchiveAsync(container, path, cancellationToken).ConfigureAwait(false) is not { } response)
        {
            return "";
        }

        await using var archive = response.Content;
        using var content = new MemoryStream();
        try
        {
            await SingleFileArchiveReader.CopyAsync(
                archive, $"image {image}", path.TrimStart('/'), [new ByteBudget(MaxAccountFileBytes, "the account file limit")], content, cancellationToken).ConfigureAwait(false);
        }
        catch (VolumeGenException e)
        {
            throw new VolumeGenException($"Image '{image}': {path} cannot be read as a user database: {e.Message}", e);
        }

        return Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length);
    }
}
