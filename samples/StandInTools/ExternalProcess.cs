using System.Diagnostics;

namespace VolumeGen.Samples.StandInTools;

/// <summary>Runs a program to completion and returns its standard output; a non-zero exit is an exception with its stderr.</summary>
public static class ExternalProcess
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>, feeding it <paramref name="stdin"/>.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? stdin = null)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }

        return await output;
    }
}
