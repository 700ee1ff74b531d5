using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// The tool image does not exist where VolumeGen was allowed to look: not on the engine when the pull
/// policy is <see cref="ImagePullPolicy.Never"/> (or the reference is a local image ID), or not in its
/// registry (no such repository, tag or digest). Raised before any volume or container of the run exists.
/// </summary>
public sealed class ImageNotFoundException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public ImageNotFoundException(string image, string cause, Exception? innerException = null)
        : base($"Image '{Printable.Of(image)}' was not found: {Printable.Of(cause)}.", innerException)
    {
        Image = image;
        Cause = cause;
    }

    /// <summary>The image reference, as the spec gave it.</summary>
    public string Image { get; }

    /// <summary>Where it was looked for and what was said, in a sentence.</summary>
    public string Cause { get; }
}
