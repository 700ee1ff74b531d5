using Docker.DotNet.Models;

namespace VolumeGen.Engine;

/// <summary>
/// What an image's config says about how its containers run: its ID, user (as written), declared
/// <c>VOLUME</c>s, working directory and labels (which every container of it inherits), and the
/// registry digests it was pulled or pushed by (<c>repository@sha256:...</c>).
/// </summary>
internal sealed record EngineImage(
    string Id, string? User, IReadOnlyList<string> Volumes, string? WorkingDirectory, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> RepoDigests);

/// <summary>What the engine says about itself: its version, API version, components (Podman names itself there) and the limits it enforces.</summary>
internal sealed record EngineDescription(string Version, string ApiVersion, IReadOnlyList<string> Components, bool EnforcesMemoryLimit, bool EnforcesPidsLimit);

/// <summary>Image and system calls.</summary>
internal sealed partial class DockerApi
{
    /// <summary>The image, or null when the engine has none of that reference.</summary>
    public async Task<EngineImage?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            var inspect = await calls.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
            var config = inspect.Config;
            return new EngineImage(
                inspect.ID, config?.User, config?.Volumes?.Keys.ToList() ?? [], config?.WorkingDir,
                config?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>(),
                inspect.RepoDigests?.ToList() ?? []);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Pulls <paramref name="reference"/> (a repository with a tag or digest) presenting
    /// <paramref name="login"/>; every progress message goes to <paramref name="progress"/> as it
    /// arrives (on the reading thread, so none is still pending when this returns). Errors the engine
    /// reports in the stream are returned; errors before it starts are thrown. Transfer client: a pull
    /// is bounded by the caller's inactivity watchdog, not by the request timeout.
    /// </summary>
    public async Task<IReadOnlyList<string>> PullImageAsync(string reference, RegistryLogin login, Action<JSONMessage> progress, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var auth = login.Credential is not { } credential ? null : new AuthConfig
        {
            Username = credential.Username,
            Password = credential.Password,
            IdentityToken = credential.IdentityToken,
            ServerAddress = login.Key,
        };
        await transfers.Images.CreateImageAsync(
            // The tag or digest stays in fromImage: a pull without one would fetch every tag.
            new ImagesCreateParameters { FromImage = reference },
            auth,
            new ImmediateProgress<JSONMessage>(m =>
            {
                if (m.Error is not null)
                {
                    errors.Add(m.Error.Message ?? "unknown error");
                }

                progress(m);
            }),
            cancellationToken).ConfigureAwait(false);
        return errors;
    }

    /// <summary>Imports a root filesystem tar as image <paramref name="reference"/>; the errors the engine reported.</summary>
    public async Task<IReadOnlyList<string>> ImportImageAsync(string reference, Stream rootfs, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        await calls.Images.CreateImageAsync(
            // The whole reference goes in "repo": Podman ignores a separate "tag" on imports.
            new ImagesCreateParameters { FromSrc = "-", Repo = reference },
            rootfs,
            null,
            new ImmediateProgress<JSONMessage>(m =>
            {
                if (m.Error is not null)
                {
                    errors.Add(m.Error.Message ?? "unknown error");
                }
            }),
            cancellationToken).ConfigureAwait(false);
        return errors;
    }

    public async Task<EngineDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        var version = await calls.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var info = await calls.System.GetSystemInfoAsync(cancellationToken).ConfigureAwait(false);
        return new EngineDescription(version.Version ?? "", version.APIVersion ?? "", (version.Components ?? []).Select(c => c.Name ?? "").ToList(), info.MemoryLimit, info.PidsLimit);
    }
}
