using System.Globalization;
using System.Text;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using VolumeGen.Archives;
using VolumeGen.Users;
using VolumeGen.Validation;

namespace VolumeGen.Engine;

/// <summary>
/// What a tool image says about how it runs, checked: its ID, the user it runs as (numeric), the
/// supplementary groups runc gives that user besides its primary group, and the <c>VOLUME</c>s it declares.
/// </summary>
internal sealed record ToolImage(string Id, ToolUser User, IReadOnlyList<int> SupplementaryGroups, IReadOnlyList<string> Volumes);

/// <summary>
/// Resolves the user a tool container runs as, before any volume exists, so that the volumes can be
/// owned by exactly that user, and refuses what the image's own config may not decide
/// (<see cref="ImageConfigRules"/>). Names are looked up in the image's own <c>/etc/passwd</c> and
/// <c>/etc/group</c>, read through the archive API of a never-started container of the image: no
/// process of the image runs for it. Resolved users are cached per image ID (a tag may move).
/// </summary>
internal static class ToolImages
{
    // Cached per image ID (a tag may move). The probe carries the tenant of the run (or warm-up) that
    // started it, which does not return, even cancelled, while the probe exists (its removal is
    // bounded by the uncancellable call timeout).
    private static readonly SingleFlight<(DockerApi Api, string ImageId, string? User), (ToolUser User, IReadOnlyList<int> Groups)> Users =
        new(keepResults: true, starterWaitsOnCancel: true);

    public static async Task<ToolImage> ResolveAsync(
        DockerApi api, ToolRunSpec spec, VolumeLabels labels, DockerConnectionOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        // Checked before Docker is asked anything: a malformed user is the caller's mistake.
        var declared = spec.User is null ? null : UserSpec.Parse(spec.User);
        var image = spec.Image;
        var inspect = await FindOrPullAsync(api, spec, options, logger, cancellationToken).ConfigureAwait(false);
        ImageConfigRules.Check(image, spec.WorkingDirectory is null ? inspect.WorkingDirectory : null, inspect.Volumes, inspect.Labels, labels.Prefix);
        var probeLabels = labels.For(VolumeLabels.RoleProbe, spec.TenantId, spec.RunId);
        var (user, groups) = await Users.GetAsync(
            (api, inspect.Id, spec.User), _ => ResolveUserAsync(api, image, inspect, declared, probeLabels), cancellationToken).ConfigureAwait(false);
        return new ToolImage(inspect.Id, user, groups, inspect.Volumes);
    }

    /// <summary>
    /// The image the spec names, pulled first as its policy says, and checked against its pinned
    /// digest. Everything here happens before any volume or container of the run exists.
    /// </summary>
    private static async Task<EngineImage> FindOrPullAsync(DockerApi api, ToolRunSpec spec, DockerConnectionOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var image = spec.Image;
        var reference = ImageReferenceRules.Parse(image, out var parsed) is { } problem ? throw new VolumeValidationException("image", image, problem) : parsed!;
        var policy = spec.PullPolicy ?? options.PullPolicy;
        // name:tag@digest is the digest's image, as the engine reads it (the tag is only a note).
        var lookup = reference.Digest is not null && reference.Tag is not null ? reference.PullReference : image;
        var inspect = policy == ImagePullPolicy.Always && !reference.IsImageId ? null : await api.InspectImageAsync(lookup, cancellationToken).ConfigureAwait(false);
        if (inspect is null)
        {
            if (reference.IsImageId || policy == ImagePullPolicy.Never)
            {
                throw new ImageNotFoundException(image, reference.IsImageId
                    ? "no image has that ID on the engine (an ID names a local image, which no registry serves)"
                    : "the engine has no image of that reference and the pull policy is Never: pull, load or build it first, or allow IfMissing");
            }

            await ImagePulls.PullAsync(api, image, reference, options, logger, cancellationToken).ConfigureAwait(false);
            // Removed again in between (a prune): as missing as if never pulled.
            inspect = await api.InspectImageAsync(lookup, cancellationToken).ConfigureAwait(false)
                ?? throw new ImageNotFoundException(image, "it was pulled but was gone from the engine before the run could use it (pruned meanwhile?)");
        }

        if (spec.ImageDigest is { } pinned && !HasDigest(inspect, reference, pinned))
        {
            throw new ImageDigestMismatchException(image, pinned, inspect.Id, inspect.RepoDigests);
        }

        return inspect;
    }

    /// <summary>The image is the pinned one: its ID, or a registry digest of the same repository.</summary>
    private static bool HasDigest(EngineImage inspect, ParsedImageReference reference, string digest) =>
        inspect.Id == digest || inspect.RepoDigests.Any(repoDigest =>
            ImageReferenceRules.Parse(repoDigest, out var parsed) is null && parsed!.Digest == digest && parsed.Repository == reference.Repository);

    private static async Task<(ToolUser User, IReadOnlyList<int> Groups)> ResolveUserAsync(
        DockerApi api, string image, EngineImage inspect, UserSpec? declared, IDictionary<string, string> probeLabels)
    {
        var imageUser = inspect.User;
        UserSpec? spec;
        try
        {
            spec = declared ?? (string.IsNullOrEmpty(imageUser) ? null : UserSpec.Parse(imageUser));
        }
        catch (VolumeValidationException e)
        {
            throw new UnsafeImageConfigException(image, "User", imageUser, $"is not a user VolumeGen accepts: {e.Problem}");
        }

        // Always read: even a numeric user's groups are looked up in the image by the engine.
        var accounts = await ReadAccountsAsync(api, image, inspect, probeLabels).ConfigureAwait(false);
        var (user, groups) = spec is null ? (ToolUser.NonRoot, (IReadOnlyList<int>)[]) : Resolve(image, spec, declared, accounts);

        // What an older engine adds by name must be exactly the groups meant (see GroupsGivenByOldEngines).
        var given = accounts.GroupsGivenByOldEngines(user.Gid, groups.Select(g => (long)g));
        var meant = groups.Select(g => (long)g).Append(user.Gid).ToHashSet();
        if (!given.SetEquals(meant))
        {
            var line = accounts.Groups.First(g => meant.Any(id => g.Name == id.ToString(CultureInfo.InvariantCulture) && g.Gid != id));
            throw new UnsafeImageConfigException(image, "/etc/group", line.Name,
                $"names a group like a number the tool runs with but has gid {line.Gid}: engines before Docker 25 add numeric groups by name first, " +
                $"so the tool would get groups {string.Join(",", given.Order())} instead of {string.Join(",", meant.Order())}");
        }

        return (user, groups);
    }

    /// <summary>The user <paramref name="spec"/> resolves to in the image, as runc resolves it, and whether it may run so.</summary>
    private static (ToolUser User, IReadOnlyList<int> Groups) Resolve(string image, UserSpec spec, UserSpec? declared, ImageAccounts accounts)
    {
        var (resolved, missing) = spec.Resolve(accounts);
        if (resolved is null)
        {
            throw new ToolUserNotFoundException(image, spec.ToString(), missing!);
        }

        // The engine takes IDs as 32-bit and would truncate the rest (2^32 becomes root): never sent.
        var ids = new[] { resolved.Uid, resolved.Gid }.Concat(resolved.SupplementaryGroups);
        if (ids.Where(id => id is < 0 or > UserSpec.MaxId).Select(id => (long?)id).FirstOrDefault() is { } outOfRange)
        {
            throw new UnsafeImageConfigException(image, "/etc/passwd or /etc/group", spec.ToString(),
                $"resolves to the ID {outOfRange}, outside 0..{UserSpec.MaxId} (the engine would truncate it to another user)");
        }

        if (resolved.Uid == 0)
        {
            if (declared is null)
            {
                return (ToolUser.NonRoot, []); // an image's own root user is not an opt-in
            }

            // Root is asked for by name or number; a declared name the image maps to uid 0 is not that.
            if (!declared.AsksForRoot)
            {
                throw new UnsafeToolSpecException(nameof(ToolRunSpec.User),
                    $"'{declared}' is uid 0 (root) in image '{Printable.Of(image)}'; declare User = \"root\" (or \"0\") to run it as root on purpose");
            }
        }

        // The primary group is the engine's to add; naming it again in GroupAdd only makes an older engine look further.
        return (new ToolUser((int)resolved.Uid, (int)resolved.Gid), resolved.SupplementaryGroups.Where(g => g != resolved.Gid).Select(g => (int)g).Distinct().ToList());
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
            var passwd = await ReadFileAsync(api, image, probe, "/etc/passwd", timeout.Token).ConfigureAwait(false);
            var group = await ReadFileAsync(api, image, probe, "/etc/group", timeout.Token).ConfigureAwait(false);
            try
            {
                return ImageAccounts.Parse(passwd, group);
            }
            catch (FormatException e)
            {
                throw new UnsafeImageConfigException(image, "/etc/passwd or /etc/group", null, $"cannot be read as runc reads it ({e.Message}); runc would not start the container");
            }
        }
        finally
        {
            await api.RemoveContainerAsync(probe).ConfigureAwait(false);
        }
    }

    /// <summary>A missing file is empty (scratch images have none); anything but a regular file within runc's limit is an error.</summary>
    private static async Task<byte[]> ReadFileAsync(DockerApi api, string image, string container, string path, CancellationToken cancellationToken)
    {
        if (await api.GetArchiveAsync(container, path, cancellationToken).ConfigureAwait(false) is not { } response)
        {
            return [];
        }

        await using var archive = response.Content;
        using var content = new MemoryStream();
        try
        {
            await SingleFileArchiveReader.CopyAsync(
                archive, $"image {image}", path.TrimStart('/'), [new ByteBudget(ImageAccounts.MaxFileBytes, "the account file limit")], content, cancellationToken).ConfigureAwait(false);
        }
        catch (VolumeGenException e)
        {
            // A link (to /dev/zero, say), a FIFO or a file past runc's limit: refused, never followed.
            throw new UnsafeImageConfigException(image, path, null, $"cannot be read as a user database ({e.Message})");
        }

        return content.ToArray();
    }
}
