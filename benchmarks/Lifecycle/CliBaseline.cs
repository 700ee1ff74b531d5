using System.Diagnostics;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Benchmarks.Lifecycle;

/// <summary>
/// The reference design, done by hand with the docker CLI: `volume create`, a helper `docker run`
/// per written file, the `chmod -R 777` pass, a helper `docker run` per read file, `volume rm`.
/// The helper image is the same local busybox stand-in (the reference used alpine).
/// </summary>
internal static class CliBaseline
{
    public static async Task RunAsync(string name, IReadOnlyDictionary<string, string> files)
    {
        await DockerAsync(null, "volume", "create", "--label", "studio.managed=true", name);
        try
        {
            foreach (var (file, content) in files)
            {
                await DockerAsync(content, "run", "--rm", "-i", "-v", $"{name}:/data", BusyboxImage.Name, "sh", "-c", $"cat > /data/{file}");
            }

            await DockerAsync(null, "run", "--rm", "-v", $"{name}:/data", BusyboxImage.Name, "chmod", "-R", "777", "/data");
            foreach (var (file, content) in files)
            {
                var read = await DockerAsync(null, "run", "--rm", "-v", $"{name}:/data", BusyboxImage.Name, "cat", $"/data/{file}");
                if (read != content)
                {
                    throw new InvalidOperationException($"CLI baseline read back different content for {file}");
                }
            }
        }
        finally
        {
            await DockerAsync(null, "volume", "rm", name);
        }
    }

    private static async Task<string> DockerAsync(string? stdin, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("docker", args)
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
            throw new InvalidOperationException($"docker {string.Join(' ', args)} failed: {await error}");
        }

        return await output;
    }
}
