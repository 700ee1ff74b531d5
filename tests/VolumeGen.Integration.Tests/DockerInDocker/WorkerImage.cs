using System.Formats.Tar;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet.Models;

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

    private static async Task<string> BuildAsync()
    {
        var root = typeof(WorkerImage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var publish = Path.Combine(root, "artifacts", "dind-worker");
        var cli = Path.Combine(root, "artifacts", "dind-cli");
        await RunAsync("dotnet", "publish", Path.Combine(root, "samples", "Worker", "VolumeGen.Samples.Worker.csproj"), "-c", "Release", "-o", publish, "-nologo");
        await RunAsync("dotnet", "publish", Path.Combine(root, "src", "Cli", "VolumeGen.Cli.csproj"), "-c", "Release", "-o", cli, "-nologo");

        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;          // .../shared/Microsoft.NETCore.App/<version>
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);           // image path -> source path
        files[$"{DotnetRoot}/dotnet"] = Path.Combine(dotnetRoot, "dotnet");
        foreach (var fxr in Directory.GetFiles(Path.Combine(dotnetRoot, "host", "fxr"), "*", SearchOption.AllDirectories))
        {
            files[DotnetRoot + "/" + Path.GetRelativePath(dotnetRoot, fxr)] = fxr;
        }

        foreach (var file in Directory.GetFiles(runtime))
        {
            files[DotnetRoot + "/" + Path.GetRelativePath(dotnetRoot, file)] = file;
        }

        foreach (var (directory, prefix) in new[] { (publish, "/app/"), (cli, "/cli/") })
        {
            foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
            {
                files[prefix + Path.GetRelativePath(directory, file)] = file;
            }
        }

        foreach (var library in await SharedLibrariesAsync(files.Values.Where(f => f.EndsWith(".so", StringComparison.Ordinal) || f.EndsWith("/dotnet", StringComparison.Ordinal))))
        {
            files[library] = library;
        }

        // Loaded with dlopen, so ldd does not list it: OpenSSL backs RandomNumberGenerator on Linux.
        foreach (var library in await DlopenedLibrariesAsync("libssl.so.3", "libcrypto.so.3"))
        {
            files[library] = library;
        }

        var name = $"volumegen-dind/worker:{Hash(files)}";
        var client = await DockerEngine.ClientAsync();
        try
        {
            await client.Images.InspectImageAsync(name);
            return name;
        }
        catch (global::Docker.DotNet.DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }

        var tar = Path.GetTempFileName();
        try
        {
            await using (var output = File.Create(tar))
            await using (var writer = new TarWriter(output, TarEntryFormat.Pax))
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b1_111_111_111 });
                foreach (var (target, source) in files)
                {
                    // Regular files with the links resolved: libstdc++.so.6 and friends are symlinks on the host.
                    await using var content = File.OpenRead(source);
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, target.TrimStart('/'))
                    {
                        Mode = OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : File.GetUnixFileMode(source),
                        DataStream = content,
                    });
                }
            }

            await using var input = File.OpenRead(tar);
            await client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromSrc = "-", Repo = name }, // tag inside repo: Podman ignores "tag"
                input, null, new Progress<JSONMessage>());
            await client.Images.InspectImageAsync(name);
            await RemoveOlderBuildsAsync(client, name);
            return name;
        }
        finally
        {
            File.Delete(tar);
        }
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

    private static async Task<IEnumerable<string>> SharedLibrariesAsync(IEnumerable<string> binaries)
    {
        var libraries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binary in binaries)
        {
            var output = await RunAsync("ldd", binary);
            foreach (var line in output.Split('\n'))
            {
                // "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
                var path = line.Split("=>").Last().Trim().Split(' ')[0];
                if (path.StartsWith('/'))
                {
                    libraries.Add(path);
                }
            }
        }

        return libraries;
    }

    private static async Task<IEnumerable<string>> DlopenedLibrariesAsync(params string[] sonames)
    {
        var cache = await RunAsync("ldconfig", "-p");
        return cache.Split('\n')
            .Select(line => line.Trim())
            .Where(line => sonames.Any(name => line.StartsWith(name + " ", StringComparison.Ordinal)) && line.Contains("x86-64", StringComparison.Ordinal))
            .Select(line => line.Split("=>").Last().Trim())
            .Distinct()
            .ToList();
    }

    private static string Hash(SortedDictionary<string, string> files)
    {
        var text = new StringBuilder();
        foreach (var (target, source) in files)
        {
            var info = new FileInfo(source);
            text.Append(target).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static Task<string> RunAsync(string program, params string[] arguments) => ExternalProcess.RunAsync(program, arguments);
}
