using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Benchmarks;

/// <summary>
/// The least the engine can do for one run, in raw Engine API calls and no checks at all: both
/// volumes created at once, one never-started helper mounting both, one archive PUT that writes the
/// inputs and gives the output volume's root to the tool's user, the tool's container (create,
/// attach-free start, wait, remove), one archive GET of the output, the helper and both volumes
/// removed. VolumeGen's overhead is reported as a ratio to this floor's.
/// </summary>
internal static class FloorBaseline
{
    /// <summary>The wall time of the last tool container (create to removal), as VolumeGen's "tool.run" span measures it.</summary>
    public static TimeSpan LastToolTime { get; private set; }

    /// <summary>
    /// One run; on Podman (which resolves mounts from the extraction path only and ignores a mount's
    /// NoCopy) two PUTs and bind strings. With <paramref name="sandboxed"/> the tool's container is
    /// confined as VolumeGen confines a tool by default (<see cref="Sandbox"/>): the floor of a run
    /// that isolates its tool, which is what VolumeGen's runs are compared with besides the bare one.
    /// </summary>
    public static async Task<string> RunAsync(IDockerClient docker, bool podman, string name, IReadOnlyDictionary<string, string> inputs, bool sandboxed = false)
    {
        var (input, output) = ($"{name}-in", $"{name}-out");
        // Podman re-owns an empty volume's root when a container first starts on it, unless the volume
        // was created with its owner (as VolumeGen does there).
        var owner = podman ? new Dictionary<string, string> { ["o"] = "uid=65532,gid=65532" } : null;
        await Task.WhenAll(
            docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = input, DriverOpts = owner! }),
            docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = output, DriverOpts = owner! }));
        var helper = (await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = BusyboxImage.Name,
            Cmd = ["true"],
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                Mounts =
                [
                    new Mount { Type = "volume", Source = input, Target = "/in" },
                    new Mount { Type = "volume", Source = output, Target = "/out" },
                ],
            },
        })).ID;
        try
        {
            if (podman)
            {
                await docker.Containers.ExtractArchiveToContainerAsync(helper, new CopyToContainerParameters { Path = "/in" }, Tar(inputs, ""));
                await docker.Containers.ExtractArchiveToContainerAsync(helper, new CopyToContainerParameters { Path = "/out" }, Tar(new Dictionary<string, string>(), ""));
            }
            else
            {
                await docker.Containers.ExtractArchiveToContainerAsync(helper, new CopyToContainerParameters { Path = "/" }, Tar(inputs, "in/", "out/"));
            }

            var tool = Stopwatch.StartNew();
            var id = (await docker.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = BusyboxImage.Name,
                Entrypoint = ["/bin/sh", "-c"],
                Cmd = [Scenario.ToolScript],
                User = "65532:65532",
                AttachStdout = true,
                AttachStderr = true,
                // No network namespace set up at all (as VolumeGen's tools): the slowest part of a start here.
                NetworkDisabled = true,
                // Without nocopy the engine copies the image's own /outputs (root-owned) into the empty volume.
                HostConfig = Sandbox(sandboxed, podman, podman
                    ? new HostConfig { NetworkMode = "none", LogConfig = new LogConfig { Type = "none" }, Binds = [$"{input}:/inputs:ro,nocopy", $"{output}:/outputs:rw,nocopy"] }
                    : new HostConfig
                    {
                        NetworkMode = "none",
                        LogConfig = new LogConfig { Type = "none" },
                        Mounts =
                        [
                            new Mount { Type = "volume", Source = input, Target = "/inputs", ReadOnly = true, VolumeOptions = new VolumeOptions { NoCopy = true } },
                            new Mount { Type = "volume", Source = output, Target = "/outputs", VolumeOptions = new VolumeOptions { NoCopy = true } },
                        ],
                    }),
                Healthcheck = sandboxed ? new HealthcheckConfig { Test = ["NONE"] } : null!,
            })).ID;
            // Attached before the start and read to its end, as VolumeGen does: a bare wait after the
            // start returned up to twice as late on Docker 20.10 here.
            using (var attached = await docker.Containers.AttachContainerAsync(id, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }))
            {
                await docker.Containers.StartContainerAsync(id, new ContainerStartParameters());
                await attached.ReadOutputToEndAsync(CancellationToken.None);
            }

            await docker.Containers.WaitContainerAsync(id);
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            LastToolTime = tool.Elapsed;
            return await ReadTextAsync(docker, helper, "/out/sorted.txt");
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(helper, new ContainerRemoveParameters { Force = true });
            await Task.WhenAll(docker.Volumes.RemoveAsync(input), docker.Volumes.RemoveAsync(output));
        }
    }

    /// <summary>
    /// <paramref name="host"/> with what a <c>ToolRunSpec</c> sets by default (its defaults, read from
    /// one), written into the raw API's settings by hand as a caller of that API would: capabilities
    /// dropped, no new privileges, a read-only root with a private /tmp, memory, CPU, process and
    /// open-file limits.
    /// </summary>
    private static HostConfig Sandbox(bool sandboxed, bool podman, HostConfig host)
    {
        if (sandboxed)
        {
            var defaults = new ToolRunSpec(BusyboxImage.Name);
            host.CapDrop = [.. defaults.DropCapabilities];
            host.SecurityOpt = defaults.AllowPrivilegeEscalation ? [] : ["no-new-privileges"];
            host.ReadonlyRootfs = defaults.ReadOnlyRootFilesystem;
            host.Tmpfs = new Dictionary<string, string> { ["/tmp"] = $"rw,nosuid,nodev,noexec,{(podman ? "U" : "uid=65532,gid=65532")},mode=0700,size={defaults.TmpSize}" };
            host.PidsLimit = defaults.PidsLimit;
            host.Memory = host.MemorySwap = defaults.MemoryBytes;
            host.NanoCPUs = (long)(defaults.CpuLimit * 1_000_000_000);
            host.Ulimits =
            [
                new Ulimit { Name = "nofile", Soft = defaults.OpenFilesLimit, Hard = defaults.OpenFilesLimit },
                new Ulimit { Name = "nproc", Soft = defaults.ProcessesPerUserLimit, Hard = defaults.ProcessesPerUserLimit },
            ];
        }

        return host;
    }

    /// <summary>One file's text through one archive GET of <paramref name="helper"/>, and no checks.</summary>
    public static async Task<string> ReadTextAsync(IDockerClient docker, string helper, string path)
    {
        var archive = await docker.Containers.GetArchiveFromContainerAsync(helper, new ContainerPathStatParameters { Path = path }, false);
        await using var stream = archive.Stream!;
        using var reader = new TarReader(stream);
        var entry = await reader.GetNextEntryAsync(copyData: true);
        using var text = new StreamReader(entry!.DataStream!, Encoding.UTF8);
        return await text.ReadToEndAsync();
    }

    /// <summary>The inputs under <paramref name="prefix"/> and the <paramref name="roots"/> (or "./"), all owned by the tool's user (65532).</summary>
    private static MemoryStream Tar(IReadOnlyDictionary<string, string> inputs, string prefix, params string[] roots)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var folder in roots.Length == 0 ? ["./"] : roots)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, folder) { Uid = 65532, Gid = 65532, Mode = (UnixFileMode)0b111_101_000 });
            }

            foreach (var (file, content) in inputs)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, prefix + file)
                {
                    Uid = 65532,
                    Gid = 65532,
                    Mode = (UnixFileMode)0b110_100_000,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                });
            }
        }

        tar.Position = 0;
        return tar;
    }
}
