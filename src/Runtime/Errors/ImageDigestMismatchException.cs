using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// The image a reference resolved to does not have the digest the spec pins
/// (<see cref="ToolRunSpec.ImageDigest"/>): the tag was moved, or the engine holds another image of
/// that name. Refused before any volume or container of the run exists.
/// </summary>
public sealed class ImageDigestMismatchException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public ImageDigestMismatchException(string image, string expectedDigest, string imageId, IReadOnlyList<string> repoDigests)
        : base($"Image '{Printable.Of(image)}' is not the pinned {expectedDigest}: the engine's image of that reference is {imageId}" +
            (repoDigests.Count == 0 ? " with no registry digest" : $" with registry digest(s) {Printable.Of(string.Join(", ", repoDigests))}") +
            "; the run is refused.")
    {
        Image = image;
        ExpectedDigest = expectedDigest;
        ImageId = imageId;
        RepoDigests = repoDigests;
    }

    /// <summary>The image reference, as the spec gave it.</summary>
    public string Image { get; }

    /// <summary>The digest the spec pins.</summary>
    public string ExpectedDigest { get; }

    /// <summary>The ID of the image the reference resolved to.</summary>
    public string ImageId { get; }

    /// <summary>That image's registry digests (<c>repository@sha256:...</c>).</summary>
    public IReadOnlyList<string> RepoDigests { get; }
}
