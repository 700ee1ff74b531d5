using System.Diagnostics;

namespace VolumeGen.Integration.Tests;

/// <summary>A real crashed run: the test worker fills a volume and is killed before it can clean up.</summary>
internal static class CrashedWorker
{
    /// <summary>Starts the worker, waits for its volume, kills it; returns the orphaned volume's name.</summary>
    public static async Task<string> LeaveVolumeAsync(string tenant, string run)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var worker = Path.GetFullPath(Path.Combine(
            AppContext.BaseDirectory, "..", "..", "..", "..", "VolumeGen.TestWorker", "bin", configuration, "net10.0", "VolumeGen.TestWorker.dll"));
        Assert.True(File.Exists(worker), worker);
        using var process = Process.Start(new ProcessStartInfo("dotnet", [worker, tenant, run]) { RedirectStandardOutput = true })!;
        try
        {
            var name = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(name);
            return name;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
