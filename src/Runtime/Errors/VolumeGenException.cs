namespace VolumeGen;

/// <summary>Base type of the errors VolumeGen raises after validation, while talking to Docker.</summary>
public class VolumeGenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VolumeGenException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
