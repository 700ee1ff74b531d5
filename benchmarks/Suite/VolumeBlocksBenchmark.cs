using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace VolumeGen.Benchmarks;

/// <summary>
/// A hand-written lifecycle with the building blocks, one volume: create it, write two files, read
/// one back, remove it; against the raw Engine API floor for the same steps (create the volume, one
/// never-started helper mounting it, one archive PUT, one archive GET, the helper and the volume
/// removed), alternated in one process on one engine, both with the helper image VolumeGen uses.
/// </summary>
internal static class VolumeBlocksBenchmark
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["domains.txt"] = string.Join('\n', Enumerable.Range(0, 100).Select(i => $"host{i}.example")) + "\n",
        ["resolvers.txt"] = "1.1.1.1\n9.9.9.9\n",
    };

    /// <summary>The medians, in ms, of the floor and of the building blocks.</summary>
    public static async Task<(double Floor, double Blocks)> RunAsync(int iterations, Report report)
    {
        var docker = await new DockerConnectionOptions().ConnectAsync();
        var floor = new List<double>();
        var blocks = new List<double>();
        for (var i = -1; i < iterations; i++) // round -1 warms up caches, connections and the JIT
        {
            var watch = Stopwatch.StartNew();
            Check(await FloorAsync(docker, $"blocks-floor-{i + 1}-{Environment.TickCount64}"));
            var floorMs = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            Check(await BlocksAsync($"b{i + 1}"));
            if (i >= 0)
            {
                (floor, blocks) = ([.. floor, floorMs], [.. blocks, watch.Elapsed.TotalMilliseconds]);
            }
        }

        var (f, b) = (Report.Median(floor), Report.Median(blocks));
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"volume building blocks ({iterations} runs each: create, 2 files in, 1 file out, remove), ms p50 / p95: floor={f:0.0} / {Report.Percentile(floor, 95):0.0}  blocks={b:0.0} / {Report.Percentile(blocks, 95):0.0}"));
        return (f, b);
    }

    private static async Task<string> BlocksAsync(string run)
    {
        await using var volume = new IsolatedContainerVolume("bench-blocks", run);
        await volume.InitializeAsync(Files);
        return (await volume.ReadFilesAsync(["domains.txt"]))["domains.txt"];
    }

    private static async Task<string> FloorAsync(IDockerClient docker, string name)
    {
        await docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = name });
        var helper = (await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = IsolatedVolumeOptions.DefaultHelperImage,
            Cmd = ["true"],
            HostConfig = new HostConfig { NetworkMode = "none", Mounts = [new Mount { Type = "volume", Source = name, Target = "/data" }] },
        })).ID;
        try
        {
            await docker.Containers.ExtractArchiveToContainerAsync(helper, new CopyToContainerParameters { Path = "/data" }, Tar());
            return await FloorBaseline.ReadTextAsync(docker, helper, "/data/domains.txt");
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(helper, new ContainerRemoveParameters { Force = true });
            await docker.Volumes.RemoveAsync(name);
        }
    }

    private static MemoryStream Tar()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (file, content) in Files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }

        tar.Position = 0;
        return tar;
    }

    private static void Check(string read)
    {
        if (read != Files["domains.txt"])
        {
            throw new InvalidOperationException("The file read back differs from the one written.");
        }
    }
}
