using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// The engine endpoint VolumeGen was pointed at (or found) cannot be used: nothing listens there, the
/// socket is missing or not ours to use, the TLS handshake failed (untrusted certificate, wrong host
/// name, client certificate refused), plain HTTP met a TLS port, or the settings name no usable
/// endpoint (an unknown context, TLS without verification). Names the endpoint and the cause.
/// </summary>
public sealed class EngineUnavailableException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="endpoint">The endpoint, as configured or found.</param>
    /// <param name="cause">Why it cannot be used, in a sentence.</param>
    /// <param name="innerException">What the connection attempt threw.</param>
    /// <param name="isTransient">False when the settings or the engine itself must change (an unknown context, no common API version).</param>
    public EngineUnavailableException(string endpoint, string cause, Exception? innerException = null, bool isTransient = true)
        : base($"The Docker engine at {Printable.Of(endpoint)} cannot be used: {Printable.Of(cause)}.", innerException)
    {
        Endpoint = endpoint;
        Cause = cause;
        _isTransient = isTransient;
    }

    private readonly bool _isTransient;

    /// <summary>True unless the settings or the engine must change first: an engine that is down, restarting or unreachable is worth a retry.</summary>
    public override bool IsTransient => _isTransient;

    /// <summary>The endpoint, as configured or found (<c>unix:///var/run/docker.sock</c>, <c>tcp://127.0.0.1:2376</c>).</summary>
    public string Endpoint { get; }

    /// <summary>Why it cannot be used, in a sentence.</summary>
    public string Cause { get; }
}
