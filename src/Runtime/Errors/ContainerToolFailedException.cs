using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>A tool exited with a non-zero code (and its wrapper does not allow that).</summary>
public sealed class ContainerToolFailedException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public ContainerToolFailedException(string image, ToolRunResult result)
        : base($"Tool '{Printable.Of(image)}' exited with code {result.ExitCode}. Stderr (tail): {Printable.Of(result.StderrTail(500))} " +
            $"Stdout (tail): {Printable.Of(ToolRunResult.TailOf(result.Stdout, 500))} " +
            "If this exit code is an answer rather than a failure (clamscan exits 1 when it finds something), set AllowNonZeroExit " +
            "([ContainerTool(AllowNonZeroExit = true)] or ToolDefinition.AllowNonZeroExit) and read ExitCode.")
    {
        Image = image;
        Result = result;
    }

    /// <summary>The tool image.</summary>
    public string Image { get; }

    /// <summary>The full result, stdout and stderr included.</summary>
    public ToolRunResult Result { get; }

    /// <summary>The exit code.</summary>
    public long ExitCode => Result.ExitCode;

    /// <summary>The end of stderr.</summary>
    public string StderrTail => Result.StderrTail();

    /// <summary>Throws when <paramref name="result"/> is not a success.</summary>
    public static void ThrowIfFailed(string image, ToolRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            throw new ContainerToolFailedException(image, result);
        }
    }
}
