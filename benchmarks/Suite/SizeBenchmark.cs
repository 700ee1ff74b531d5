using System.Diagnostics;
using System.Globalization;
using VolumeGen.Samples.StandInTools;
using VolumeGen.Testing;

namespace VolumeGen.Benchmarks;

/// <summary>
/// A large input streamed in and a large output streamed out (1 GiB each by default). Reports the
/// times, the upload against the disk's own write bandwidth, and the process's peak resident memory
/// above its baseline (Linux VmHWM, reset first).
/// </summary>
internal static class SizeBenchmark
{
    /// <summary>Uploads and <c>dd</c> runs, alternated: the disk of this VM varies by half from one minute to the next.</summary>
    private const int Rounds = 3;

    public static async Task RunAsync(long bytes, Report report)
    {
        // The connection, the engine's profile and the helper image are the cold start's cost (coldstart), not the upload's.
        await new ContainerToolRunner().WarmUpAsync();
        ResetPeak();
        var baseline = Status("VmRSS");
        var options = new IsolatedVolumeOptions { MaxStreamedFileBytes = bytes * 2 };
        // The disk's own write bandwidth where the engine keeps its volumes, in the same run: the upload's ceiling.
        var root = (await (await new DockerConnectionOptions().ConnectAsync()).System.GetSystemInfoAsync()).DockerRootDir;
        var measureDisk = Directory.Exists(root);
        List<double> uploads = [];
        List<double> disks = [];
        List<double> buffered = [];
        IsolatedContainerVolume? input = null;
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                if (input is not null)
                {
                    await input.CleanupAsync();
                }

                input = new IsolatedContainerVolume("size", "big-in", options);
                var uploading = Stopwatch.StartNew();
                await input.InitializeAsync([VolumeFile.FromStream("big.bin", new PatternStream(bytes), bytes)]);
                uploads.Add(bytes / uploading.Elapsed.TotalSeconds);
                if (measureDisk)
                {
                    var scratch = Path.Combine(root, $"volumegen-bench-dd-{Environment.ProcessId}");
                    disks.Add(await DiskWriteBytesPerSecondAsync(scratch, bytes, flushed: true));
                    buffered.Add(await DiskWriteBytesPerSecondAsync(scratch, bytes, flushed: false));
                }
            }

            await using var output = new IsolatedContainerVolume("size", "big-out", options);
            var watch = Stopwatch.StartNew();
            await output.InitializeAsync([]);
            var run = await new ContainerToolRunner().RunAsync(new ToolRunSpec(BusyboxImage.Name)
            {
                Entrypoint = ["/bin/cp"],
                Command = ["/inputs/big.bin", "/outputs/big.bin"],
                User = "65532:65532",
                Mounts = [input!.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", readOnly: false)],
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

            var upload = Report.Median(uploads);
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"size_{bytes >> 20}MiB: in {bytes / upload:0.0}s (median of {Rounds}), tool copy {copied:0.0}s, out {total - copied:0.0}s; peak_rss_above_baseline_mib={(peak - baseline) / 1024.0:0.0} (baseline {baseline / 1024.0:0} MiB)"));
            if (measureDisk)
            {
                var disk = Report.Median(disks);
                report.Line(string.Create(CultureInfo.InvariantCulture,
                    $"upload_mb_per_s={upload / 1e6:0} ({Figures(uploads)}) disk_write_mb_per_s={disk / 1e6:0} ({Figures(disks)}; dd, fdatasync, in {root}) " +
                    $"buffered_write_mb_per_s={Report.Median(buffered) / 1e6:0} ({Figures(buffered)}; dd, no sync)"));
                // The engine's extraction does not sync: the upload ends in the page cache, as the
                // buffered dd does. Against the flushed dd (the disk's bandwidth) it can exceed 1.
                report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_upload_vs_disk_write={upload / disk:0.00}"));
                report.Line(string.Create(CultureInfo.InvariantCulture, $"ratio_upload_vs_buffered_write={upload / Report.Median(buffered):0.00}"));
            }
            else
            {
                report.Line($"disk write bandwidth: skipped, the engine's data root {root} is not on this machine");
            }
        }
        finally
        {
            if (input is not null)
            {
                await input.CleanupAsync();
            }
        }
    }

    /// <summary>Each round's figure in MB/s, in order.</summary>
    private static string Figures(List<double> bytesPerSecond) =>
        string.Join(' ', bytesPerSecond.Select(b => (b / 1e6).ToString("0", CultureInfo.InvariantCulture)));

    /// <summary><c>dd</c> of <paramref name="bytes"/> zeros into <paramref name="path"/>, flushed to the disk before it ends when <paramref name="flushed"/>; the file is removed.</summary>
    private static async Task<double> DiskWriteBytesPerSecondAsync(string path, long bytes, bool flushed)
    {
        try
        {
            var watch = Stopwatch.StartNew();
            using var dd = Process.Start(new ProcessStartInfo("dd", ["if=/dev/zero", $"of={path}", "bs=1M", string.Create(CultureInfo.InvariantCulture, $"count={bytes >> 20}"), .. (flushed ? new[] { "conv=fdatasync" } : [])])
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
