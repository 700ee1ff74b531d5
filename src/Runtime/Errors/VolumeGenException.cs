namespace VolumeGen;

/// <summary>
/// Base type of every failure VolumeGen raises on its own once a run's arguments were accepted (a bad
/// argument refused before anything exists is an <see cref="ArgumentException"/>:
/// <see cref="VolumeValidationException"/>, <see cref="UnsafeToolSpecException"/>). Each condition a
/// caller may branch on has a type of its own; none is raised as this type itself.
/// </summary>
public abstract class VolumeGenException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected VolumeGenException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether the same run, tried again as it is, may succeed: the engine or registry could not be
    /// reached or stalled, a stream ended early, something of the run was removed under it by someone
    /// else. False for everything that needs a change first (the input, the image, the settings, the
    /// engine); a retry policy keys on this. What a run leaves is cleaned up either way.
    /// </summary>
    public virtual bool IsTransient => false;
}
