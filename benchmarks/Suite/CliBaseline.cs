using VolumeGen.Samples.StandInTools;
using VolumeGen.Testing;

namespace VolumeGen.Benchmarks;

/// <summary>
/// The reference design, done by hand with the docker CLI: `volume create`, a helper `docker run`
/// per written file, the `chmod -R 777` pass (on the output volume too, or a nonroot tool could not
/// write: the reference skipped it for an empty volume), the tool, a helper `docker run` per read
/// file, `volume rm`. Same local busybox image as the stand-in tool and helper (the reference used alpine).
/// The output is mounted with `nocopy`: otherwise Docker copies the image's own /outputs (root, 0755)
/// over the empty volume and the nonroot tool cannot write, the reference's other permission trap.
/// </summary>
internal static class CliBaseline
{
    /// <summary>The wall time of the last tool step (`docker run` of the tool), to separate it from the lifecycle.</summary>
    public static TimeSpan LastToolTime { get; private set; }

    public static async Task<string> RunAsync(string name, IReadOnlyDictionary<string, string> inputs)
    {
        var (input, output) = ($"{name}-in", $"{name}-out");
        await DockerAsync(null, "volume", "create", "--label", "studio.managed=true", input);
        await DockerAsync(null, "volume", "create", "--label", "studio.managed=true", output);
        try
        {
            foreach (var (file, content) in inputs)
            {
                await DockerAsync(content, "run", "--rm", "-i", "-v", $"{input}:/data", BusyboxImage.Name, "sh", "-c", $"cat > /data/{file}");
            }

            await DockerAsync(null, "run", "--rm", "-v", $"{input}:/data", BusyboxImage.Name, "chmod", "-R", "777", "/data");
            await DockerAsync(null, "run", "--rm", "-v", $"{output}:/data", BusyboxImage.Name, "chmod", "-R", "777", "/data");
            var tool = System.Diagnostics.Stopwatch.StartNew();
            await DockerAsync(null, "run", "--rm", "--network", "none", "-u", "65532:65532", "-v", $"{input}:/inputs:ro", "-v", $"{output}:/outputs:nocopy",
                BusyboxImage.Name, "sh", "-c", Scenario.ToolScript);
            LastToolTime = tool.Elapsed;
            return await DockerAsync(null, "run", "--rm", "-v", $"{output}:/data", BusyboxImage.Name, "cat", "/data/sorted.txt");
        }
        finally
        {
            await DockerAsync(null, "volume", "rm", input, output);
        }
    }

    public static async Task<int> CountLeftoversAsync() =>
        (await DockerAsync(null, "volume", "ls", "-q", "--filter", "label=studio.managed=true")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private static Task<string> DockerAsync(string? stdin, params string[] args) => ExternalProcess.RunAsync("docker", args, stdin);
}
