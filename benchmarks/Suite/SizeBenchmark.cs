using System.Diagnostics;
using System.Globalization;
using VolumeGen.Samples.StandInTools;
using VolumeGen.Testing;

namespace VolumeGen.Benchmarks;

/// <summary>
/// A large input streamed in and a large output streamed out (1 GiB each by default). Reports the
/// time and the process's peak resident memory above its baseline (Linux VmHWM, reset first).
/// </summary>
internal static class SizeBenchmark
{
    public static async Task RunAsync(long bytes, Report report)
    {
        ResetPeak();
        var baseline = Status("VmRSS");
        var watch = Stopwatch.StartNew();
        var options = new IsolatedVolumeOptions { MaxStreamedFileBytes = bytes * 2 };
        await using var input = new IsolatedContainerVolume("size", "big-in", options);
        await using var output = new IsolatedContainerVolume("size", "big-out", options);
        var source = new PatternStream(bytes);
        await input.InitializeAsync([VolumeFile.FromStream("big.bin", source, bytes)]);
        var uploaded = watch.Elapsed.TotalSeconds;
        await output.InitializeAsync([]);
        var run = await new ContainerToolRunner().RunAsync(new ToolRunSpec(BusyboxImage.Name)
        {
            Entrypoint = ["/bin/cp"],
            Command = ["/inputs/big.bin", "/outputs/big.bin"],
            User = "65532:65532",
            Mounts = [input.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", readOnly: false)],
            Timeout = TimeSpan.FromMinutes(10),
            TenantId = "size",
        });
        ContainerToolFailedException.ThrowIfFailed(BusyboxImage.Name, run);
        var copied = watch.Elapsed.TotalSeconds;
        using var sink = new HashingSink();
        await output.CopyFileToAsync("big.bin", sink);
        var total = watch.Elapsed.TotalSeconds;
        var peak = Status("VmHWM");
        if (sink.Length != bytes || !sink.Hash().SequenceEqual(PatternStream.Hash(bytes)))
        {
            throw new InvalidOperationException("The output differs from the input.");
        }

        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"size_{bytes >> 20}MiB: in {uploaded:0.0}s, tool copy {copied - uploaded:0.0}s, out {total - copied:0.0}s; peak_rss_above_baseline_mib={(peak - baseline) / 1024.0:0.0} (baseline {baseline / 1024.0:0} MiB)"));

        // The disk's own write bandwidth where the engine keeps its volumes, in the same run: the upload's ceiling.
        var root = (await (await new DockerConnectionOptions().ConnectAsync()).System.GetSystemInfoAsync()).DockerRootDir;
        if (Directory.Exists(root))
        {
            var disk = await DiskWriteBytesPerSecondAsync(Path.Combine(root, $"volumegen-bench-dd-{Environment.ProcessId}"), bytes);
            var upload = bytes / uploaded;
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"upload_mb_per_s={upload / 1e6:0} disk_write_mb_per_s={disk / 1e6:0} (dd, fdatasync, in {root})"));
            report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_upload_vs_disk_write={upload / disk:0.00}"));
        }
        else
        {
            report.Line($"disk write bandwidth: skipped, the engine's data root {root} is not on this machine");
        }
    }

    /// <summary><c>dd</c> of <paramref name="bytes"/> zeros into <paramref name="path"/>, flushed to the disk before it ends; the file is removed.</summary>
    private static async Task<double> DiskWriteBytesPerSecondAsync(string path, long bytes)
    {
        try
        {
            var watch = Stopwatch.StartNew();
            using var dd = Process.Start(new ProcessStartInfo("dd", ["if=/dev/zero", $"of={path}", "bs=1M", string.Create(CultureInfo.InvariantCulture, $"count={bytes >> 20}"), "conv=fdatasync"])
            {
                RedirectStandardError = true,
            })!;
            await dd.StandardError.ReadToEndAsync();
            await dd.WaitForExitAsync();
            return dd.ExitCode == 0 ? bytes / watch.Elapsed.TotalSeconds : throw new InvalidOperationException($"dd exited with {dd.ExitCode}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Resets the kernel's peak-RSS counter for this process (writing 5 to clear_refs).</summary>
    private static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>A /proc/self/status value in KiB.</summary>
    private static long Status(string key) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
