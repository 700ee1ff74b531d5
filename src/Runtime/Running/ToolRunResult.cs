namespace VolumeGen;

/// <summary>How a tool run ended.</summary>
/// <param name="ExitCode">The container's exit code.</param>
/// <param name="Stdout">Captured stdout (UTF-8), at most <see cref="ToolRunSpec.MaxOutputBytes"/> bytes of it.</param>
/// <param name="Stderr">Captured stderr (UTF-8), likewise capped.</param>
/// <param name="StdoutTruncated">True when stdout was longer than the cap.</param>
/// <param name="StderrTruncated">True when stderr was longer than the cap.</param>
/// <param name="Duration">From container start to exit.</param>
public sealed record ToolRunResult(
    long ExitCode,
    string Stdout,
    string Stderr,
    bool StdoutTruncated,
    bool StderrTruncated,
    TimeSpan Duration)
{
    /// <summary>True when the tool exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last <paramref name="maxChars"/> characters of stderr, for error messages.</summary>
    public string StderrTail(int maxChars = 2000) => TailOf(Stderr, maxChars);

    internal static string TailOf(string text, int maxChars) => text.Length <= maxChars ? text : text[^maxChars..];
}
