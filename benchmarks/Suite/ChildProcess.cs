using System.Diagnostics;

namespace VolumeGen.Benchmarks;

/// <summary>This benchmark program started again as a child process (a fresh worker) with the given arguments.</summary>
internal static class ChildProcess
{
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        // Under `dotnet Suite.dll` the process is the dotnet host, which needs the assembly first;
        // under `dotnet run` (or the published apphost) the process is the program itself, and an
        // assembly path there would be read as the benchmark to run.
        var host = Environment.ProcessPath!;
        var viaDotnetHost = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return new ProcessStartInfo(host, viaDotnetHost ? [typeof(ChildProcess).Assembly.Location, .. arguments] : arguments);
    }
}
