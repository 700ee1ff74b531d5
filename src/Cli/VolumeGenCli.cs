using System.CommandLine;
using System.CommandLine.Help;
using VolumeGen.Cli.Commands;

namespace VolumeGen.Cli;

/// <summary>
/// <c>volumegen</c>: operator commands for the volumes and containers VolumeGen leaves when workers
/// crash. Follows the dotnet CLI conventions: subcommands, <c>--help</c>, <c>--json</c> for scripts,
/// a non-zero exit code on failure, <c>DOCKER_HOST</c> honored (or <c>--host</c>).
/// </summary>
public static class VolumeGenCli
{
    /// <summary>The exit code when the engine cannot be reached or used (the message says which endpoint and why).</summary>
    public const int EngineUnavailableExitCode = 3;

    /// <summary>Runs the command line; output goes to the given writers (tests capture them).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var host = new Option<Uri?>("--host", "-H")
        {
            Description = "Docker endpoint, e.g. unix:///var/run/docker.sock (default: DOCKER_HOST, else the local socket)",
            Recursive = true,
            CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var uri) ? uri : Fail<Uri?>(r, "--host must be an absolute URI"),
        };
        var json = new Option<bool>("--json") { Description = "Write JSON for scripts instead of text", Recursive = true };
        // Not a RootCommand: its name is the executable's ("VolumeGen.Cli" under the dotnet tool shim), and
        // help must say the command users type.
        var root = new Command("volumegen", "Operator commands for VolumeGen's isolated per-tenant Docker volumes.")
        {
            new HelpOption(),
            new VersionOption(),
            host,
            json,
            ListCommand.Create(host, json),
            SweepCommand.Create(host, json),
            DoctorCommand.Create(host, json),
        };

        // Errors are this tool's to report: one line each, never a stack trace for an engine that is down.
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineUnavailableException e)
        {
            await error.WriteLineAsync($"volumegen: {e.Message}").ConfigureAwait(false);
            return EngineUnavailableExitCode;
        }
        catch (VolumeGenException e)
        {
            await error.WriteLineAsync($"volumegen: {Validation.Printable.Of(e.Message)}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Reports a parse error and returns a placeholder value.</summary>
    internal static T Fail<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
