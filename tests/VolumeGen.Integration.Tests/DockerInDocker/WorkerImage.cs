using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet.Models;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests.DockerInDocker;

/// <summary>
/// An image holding the published sample worker, the volumegen CLI, and the .NET runtime they need (this machine's
/// runtime plus the shared libraries `ldd` lists), imported through the Engine API: no registry,
/// no base image. Built once per content hash, so an unchanged worker reuses the image.
/// </summary>
internal static class WorkerImage
{
    public const string DotnetRoot = "/usr/share/dotnet";
    public const string WorkerDll = "/app/VolumeGen.Samples.Worker.dll";
    public const string CliDll = "/cli/VolumeGen.Cli.dll";

    private static readonly Lazy<Task<string>> Image = new(BuildAsync);

    public static Task<string> NameAsync() => Image.Value;

    /// <summary>
    /// Runs a program of the worker image (on the engine the tests use) in the topology
    /// <paramref name="hostConfig"/> makes, with <paramref name="environment"/> saying how it reaches its
    /// engine; its output, or a failed assertion with what it printed.
    /// </summary>
    public static async Task<string> RunAsync(string[] arguments, HostConfig hostConfig, IList<string> environment)
    {
        var client = await DockerEngine.ClientAsync();
        var container = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = await NameAsync(),
            Cmd = [$"{DotnetRoot}/dotnet", .. arguments],
            Env = ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1", "DOTNET_EnableDiagnostics=0", "HOME=/tmp", .. environment],
            HostConfig = hostConfig,
        });
        try
        {
            await client.Containers.StartContainerAsync(container.ID, new ContainerStartParameters());
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var exit = await client.Containers.WaitContainerAsync(container.ID, timeout.Token);
            using var logs = await client.Containers.GetContainerLogsAsync(container.ID, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
            Assert.True(exit.StatusCode == 0, $"worker exited {exit.StatusCode}: {stdout}{stderr}");
            return stdout;
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    private static async Task<string> BuildAsync()
    {
        var root = RepositoryScripts.Root;
        var publish = Path.Combine(root, "artifacts", "dind-worker");
        var cli = Path.Combine(root, "artifacts", "dind-cli");
        await ExternalProcess.RunAsync("dotnet", ["publish", Path.Combine(root, "samples", "Worker", "VolumeGen.Samples.Worker.csproj"), "-c", "Release", "-o", publish, "-nologo"]);
        await ExternalProcess.RunAsync("dotnet", ["publish", Path.Combine(root, "src", "Cli", "VolumeGen.Cli.csproj"), "-c", "Release", "-o", cli, "-nologo"]);

        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;          // .../shared/Microsoft.NETCore.App/<version>
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var image = new LocalImage("volumegen-dind/worker")
            .AddDirectory("tmp", (UnixFileMode)0b1_111_111_111)
            .AddTree(Path.Combine(dotnetRoot, "host"), $"{DotnetRoot}/host")
            .AddTree(runtime, $"{DotnetRoot}/{Path.GetRelativePath(dotnetRoot, runtime)}")
            .AddTree(publish, "/app")
            .AddTree(cli, "/cli");
        await image.AddBinaryAsync(Path.Combine(dotnetRoot, "dotnet"), $"{DotnetRoot}/dotnet");
        await image.AddLibrariesOfAsync(Directory.GetFiles(runtime, "*.so"));
        // Loaded with dlopen, so ldd does not list it: OpenSSL backs RandomNumberGenerator on Linux.
        await image.AddDlopenedLibrariesAsync("libssl.so.3", "libcrypto.so.3");

        // Tagged by content, so an unchanged worker reuses the image the engine already has.
        image.WithName($"{image.Name}:{Hash(image.Files)}");
        var client = await DockerEngine.ClientAsync();
        await image.EnsureAsync(client);
        await RemoveOlderBuildsAsync(client, image.Name);
        return image.Name;
    }

    /// <summary>Earlier builds of the worker image are ~80 MB each and of no further use.</summary>
    private static async Task RemoveOlderBuildsAsync(global::Docker.DotNet.IDockerClient client, string current)
    {
        var images = await client.Images.ListImagesAsync(new ImagesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["reference"] = new Dictionary<string, bool> { [current.Split(':')[0]] = true } },
        });
        foreach (var tag in images.SelectMany(i => i.RepoTags ?? []).Where(t => t != current))
        {
            await client.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = true });
        }
    }

    private static string Hash(IReadOnlyDictionary<string, string> files)
    {
        var text = new StringBuilder();
        foreach (var (target, source) in files)
        {
            var info = new FileInfo(source);
            text.Append(target).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
