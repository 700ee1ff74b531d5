using System.Formats.Tar;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// Builds an image from files of this machine and imports it through the Engine API: no registry,
/// no base image, no Dockerfile. Binaries bring the shared libraries <c>ldd</c> lists.
/// </summary>
public sealed class LocalImage(string name)
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;

    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal); // image path -> source path
    private readonly List<PaxTarEntry> _extras = [];
    private readonly List<string> _changes = [];

    /// <summary>The image reference.</summary>
    public string Name { get; private set; } = name;

    /// <summary>Renames the image, e.g. to tag it by its content once all files are in.</summary>
    public LocalImage WithName(string newName)
    {
        Name = newName;
        return this;
    }

    /// <summary>Every file that goes in, by image path (for content hashes).</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>Adds a file of this machine at <paramref name="target"/> (an absolute image path).</summary>
    public LocalImage AddFile(string source, string target)
    {
        _files[target] = source;
        return this;
    }

    /// <summary>Adds every file below <paramref name="sourceDirectory"/> under <paramref name="targetDirectory"/>.</summary>
    public LocalImage AddTree(string sourceDirectory, string targetDirectory)
    {
        foreach (var file in Directory.GetFiles(sourceDirectory, "*", SearchOption.AllDirectories))
        {
            AddFile(file, targetDirectory.TrimEnd('/') + "/" + Path.GetRelativePath(sourceDirectory, file));
        }

        return this;
    }

    /// <summary>Adds a binary and the shared libraries it links, at their paths on this machine.</summary>
    public async Task<LocalImage> AddBinaryAsync(string source, string target)
    {
        AddFile(source, target);
        await AddLibrariesOfAsync(source);
        return this;
    }

    /// <summary>Adds the shared libraries <paramref name="binaries"/> link (not the binaries).</summary>
    public async Task<LocalImage> AddLibrariesOfAsync(params string[] binaries)
    {
        foreach (var binary in binaries)
        {
            foreach (var line in (await ExternalProcess.RunAsync("ldd", [binary])).Split('\n'))
            {
                // "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
                var path = line.Split("=>").Last().Trim().Split(' ')[0];
                if (path.StartsWith('/'))
                {
                    AddFile(path, path);
                }
            }
        }

        return this;
    }

    /// <summary>Adds libraries loaded with dlopen (which ldd cannot see), found in the linker cache.</summary>
    public async Task<LocalImage> AddDlopenedLibrariesAsync(params string[] sonames)
    {
        foreach (var line in (await ExternalProcess.RunAsync("ldconfig", ["-p"])).Split('\n').Select(l => l.Trim()))
        {
            if (sonames.Any(s => line.StartsWith(s + " ", StringComparison.Ordinal)) && line.Contains("x86-64", StringComparison.Ordinal))
            {
                var path = line.Split("=>").Last().Trim();
                AddFile(path, path);
            }
        }

        return this;
    }

    /// <summary>Adds an empty directory.</summary>
    public LocalImage AddDirectory(string target, UnixFileMode mode = DirectoryMode)
    {
        _extras.Add(new PaxTarEntry(TarEntryType.Directory, target.Trim('/') + "/") { Mode = mode });
        return this;
    }

    /// <summary>Adds a symbolic link.</summary>
    public LocalImage AddSymlink(string target, string linkName)
    {
        _extras.Add(new PaxTarEntry(TarEntryType.SymbolicLink, target.TrimStart('/')) { LinkName = linkName });
        return this;
    }

    /// <summary>Adds a small text file.</summary>
    public LocalImage AddText(string target, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        _extras.Add(new PaxTarEntry(TarEntryType.RegularFile, target.TrimStart('/'))
        {
            Mode = mode,
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
        });
        return this;
    }

    /// <summary>Adds a Dockerfile-style change applied at import, e.g. "ENV PATH=/bin".</summary>
    public LocalImage WithChange(string change)
    {
        _changes.Add(change);
        return this;
    }

    /// <summary>Every parent directory of <paramref name="paths"/>, parents first, each once.</summary>
    private static SortedSet<string> ParentDirectories(IEnumerable<string> paths)
    {
        var parents = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Select(p => p.TrimEnd('/')))
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                parents.Add(path[..slash]);
            }
        }

        return parents;
    }

    /// <summary>Imports the image unless the daemon already has one of this name.</summary>
    public async Task EnsureAsync(IDockerClient client, CancellationToken ct = default)
    {
        try
        {
            await client.Images.InspectImageAsync(Name, ct);
            return;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }

        var tar = Path.GetTempFileName();
        try
        {
            await using (var output = File.Create(tar))
            await using (var writer = new TarWriter(output, TarEntryFormat.Pax))
            {
                // Every parent directory gets its own entry, as in a real image layer: without one,
                // a rootless engine creates it 0700 and only root could reach the files below.
                var explicitDirectories = _extras.Where(e => e.EntryType == TarEntryType.Directory).Select(e => e.Name.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
                foreach (var directory in ParentDirectories(_extras.Select(e => e.Name).Concat(_files.Keys.Select(k => k.TrimStart('/')))).Where(d => !explicitDirectories.Contains(d)))
                {
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory + "/") { Mode = DirectoryMode }, ct);
                }

                foreach (var entry in _extras)
                {
                    await writer.WriteEntryAsync(entry, ct);
                }

                foreach (var (target, source) in _files)
                {
                    // Regular files with links resolved: libstdc++.so.6 and friends are symlinks here.
                    await using var content = File.OpenRead(source);
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, target.TrimStart('/'))
                    {
                        Mode = OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : File.GetUnixFileMode(source),
                        DataStream = content,
                    }, ct);
                }
            }

            await using var input = File.OpenRead(tar);
            // The whole reference goes in "repo": Podman ignores a separate "tag" on imports.
            await client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromSrc = "-", Repo = Name, Changes = _changes }, input, null, new Progress<JSONMessage>(), ct);
            await client.Images.InspectImageAsync(Name, ct);
        }
        finally
        {
            File.Delete(tar);
        }
    }
}
