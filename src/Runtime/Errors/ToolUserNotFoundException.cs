using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// The user a tool should run as names nobody in its image (no such entry in the image's own
/// <c>/etc/passwd</c> or <c>/etc/group</c>). Raised before any volume or tool container exists.
/// </summary>
public sealed class ToolUserNotFoundException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public ToolUserNotFoundException(string image, string user, string missing)
        : base($"Image '{Printable.Of(image)}' has no {Printable.Of(missing)}, so it cannot run as '{Printable.Of(user)}': its /etc/passwd and /etc/group name no such account. " +
            "Use a numeric uid[:gid], or a user the image defines.")
    {
        Image = image;
        User = user;
    }

    /// <summary>The tool image.</summary>
    public string Image { get; }

    /// <summary>The user that was asked for (the declaration's or the image's).</summary>
    public string User { get; }
}
