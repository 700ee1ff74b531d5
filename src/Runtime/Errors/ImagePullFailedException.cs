using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>Why a pull failed, for a caller that branches (retry, alert, fix the credentials).</summary>
public enum ImagePullFailure
{
    /// <summary>The registry refused the credentials, or asked for some and none were found.</summary>
    Unauthorized,

    /// <summary>The registry could not be reached (refused, unresolvable, timed out): worth a retry.</summary>
    RegistryUnreachable,

    /// <summary>The registry's certificate is not trusted by the engine (its CA belongs in <c>/etc/docker/certs.d/HOST:PORT/ca.crt</c>).</summary>
    UntrustedCertificate,

    /// <summary>The credential helper the docker config names failed or is missing.</summary>
    CredentialHelperFailed,

    /// <summary>The pull reported no progress for the inactivity timeout: worth a retry.</summary>
    Stalled,

    /// <summary>Anything else the engine reported (disk full, an unsupported manifest...).</summary>
    Other,
}

/// <summary>
/// Pulling the tool image failed (a missing repository or tag is an <see cref="ImageNotFoundException"/>
/// instead). Names the image, the registry and the cause; raised before any volume or container of the
/// run exists, and the engine keeps no partial image.
/// </summary>
public sealed class ImagePullFailedException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public ImagePullFailedException(string image, string registry, ImagePullFailure reason, string cause, Exception? innerException = null)
        : base($"Pulling image '{Printable.Of(image)}' from {Printable.Of(registry)} failed ({reason}): {Printable.Of(cause)}.", innerException)
    {
        Image = image;
        Registry = registry;
        Reason = reason;
        Cause = cause;
    }

    /// <summary>The image reference, as the spec gave it.</summary>
    public string Image { get; }

    /// <summary>The registry host (<c>docker.io</c>, <c>registry.example.com:5000</c>).</summary>
    public string Registry { get; }

    /// <summary>The kind of failure.</summary>
    public ImagePullFailure Reason { get; }

    /// <summary>What the engine or the credential helper said (as said: escape it before printing).</summary>
    public string Cause { get; }

    /// <summary>True for <see cref="ImagePullFailure.RegistryUnreachable"/> and <see cref="ImagePullFailure.Stalled"/>.</summary>
    public override bool IsTransient => Reason is ImagePullFailure.RegistryUnreachable or ImagePullFailure.Stalled;
}
