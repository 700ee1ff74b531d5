using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// The tool container ran longer than its timeout; it was killed and removed. Not transient: the same
/// input would most likely take as long again (give it a longer <see cref="ToolRunSpec.Timeout"/>).
/// </summary>
public sealed class ContainerToolTimeoutException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public ContainerToolTimeoutException(string image, TimeSpan timeout, string stderrTail)
        : base($"Tool '{Printable.Of(image)}' did not finish within {timeout.TotalSeconds:0.###} s; the container was killed and removed.")
    {
        Image = image;
        Timeout = timeout;
        StderrTail = stderrTail;
    }

    /// <summary>The tool image.</summary>
    public string Image { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The end of what the tool wrote to stderr before it was killed.</summary>
    public string StderrTail { get; }
}
