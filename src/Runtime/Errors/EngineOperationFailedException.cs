namespace VolumeGen;

/// <summary>
/// The engine refused or failed an operation VolumeGen needed for itself, not for the tool (importing
/// its helper image): what it said is in the message. Not transient on its own; look at the engine.
/// </summary>
public sealed class EngineOperationFailedException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public EngineOperationFailedException(string operation, string cause)
        : base($"{operation} failed: {cause}")
    {
        Operation = operation;
    }

    /// <summary>What VolumeGen asked the engine to do.</summary>
    public string Operation { get; }
}
