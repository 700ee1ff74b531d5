using System.Diagnostics;

namespace VolumeGen.Integration.Tests;

/// <summary>A real crashed run: the test worker fills a volume and is killed before it can clean up.</summary>
internal static class CrashedWorker
{
    /// <summary>
    /// Starts the worker, waits for its volume (and, with <paramref name="toolSeconds"/>, for its tool
    /// to be running), kills it; returns the orphaned volume's name.
    /// </summary>
    public static async Task<string> LeaveVolumeAsync(string tenant, string run, int? toolSeconds = null)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var worker = Path.GetFullPath(Path.Combine(
            AppContext.BaseDirectory, "..", "..", "..", "..", "VolumeGen.TestWorker", "bin", configuration, "net10.0", "VolumeGen.TestWorker.dll"));
        Assert.True(File.Exists(worker), worker);
        string[] arguments = toolSeconds is { } seconds
            ? [worker, tenant, run, Samples.StandInTools.BusyboxImage.Name, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            : [worker, tenant, run];
        using var process = Process.Start(new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true })!;
        try
        {
            var name = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(name);
            if (toolSeconds is not null)
            {
                await WaitUntilAsync(async () => (await new OrphanVolumeSweeper().ListVolumesAsync(tenant)).Any(v => v.InUse));
            }

            return name;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}
