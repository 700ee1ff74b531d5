using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// A volume the tool would mount is not one the run may use: not created by this process for the
/// spec's tenant and the tool's user, or owned by another user (a pipeline step's outputs for a tool
/// running as someone else), or removed and recreated empty while the container was being created.
/// Raised before the tool starts; the tool container, if created, is removed.
/// </summary>
public sealed class MountRefusedException : VolumeGenException
{
    private readonly bool _replaced;

    /// <summary>Creates the exception.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="target">Where it would have been mounted.</param>
    /// <param name="problem">Why it is refused, in a sentence.</param>
    /// <param name="replaced">The volume was replaced under the run by a concurrent removal (then a retry may succeed).</param>
    public MountRefusedException(string volume, string target, string problem, bool replaced = false)
        : base($"Volume '{Printable.Of(volume)}' (for '{Printable.Of(target)}') cannot be mounted: {problem}.")
    {
        Volume = volume;
        Target = target;
        _replaced = replaced;
    }

    /// <summary>The volume.</summary>
    public string Volume { get; }

    /// <summary>Where it would have been mounted.</summary>
    public string Target { get; }

    /// <summary>True only when the volume was removed and recreated under the run (a concurrent cleanup).</summary>
    public override bool IsTransient => _replaced;
}
