// A worker meant to run in a container that sees the Docker daemon only through its socket.
//   run <tenant> <run> <domain>...   resolve the domains through the generated DnsResolverTool
//   bind-demo <dir>                  show why bind mounts of the worker's own folders break here
using Docker.DotNet.Models;
using VolumeGen;
using VolumeGen.Samples.StandInTools;

switch (args.FirstOrDefault())
{
    case "run" when args.Length >= 4:
        var tool = new DnsResolverTool { Domains = string.Join('\n', args[3..]), Resolvers = "10.0.0.53" };
        var result = await tool.RunAsync(new ToolRunContext(args[1], args[2]));
        Console.WriteLine($"exit={result.ExitCode} stdout={result.Stdout.Trim()}");
        Console.Write(tool.Results);
        return 0;

    case "bind-demo" when args.Length == 2:
        return await BindDemoAsync(args[1]);

    default:
        Console.Error.WriteLine("usage: worker run <tenant> <run> <domain>... | worker bind-demo <dir>");
        return 2;
}

// The mistake VolumeGen exists to prevent, done on purpose: the worker writes a file into its own
// temp folder and bind-mounts that folder into a tool. The daemon resolves the path on its side.
static async Task<int> BindDemoAsync(string directory)
{
    Directory.CreateDirectory(directory);
    await File.WriteAllTextAsync(Path.Combine(directory, "marker.txt"), "written by the worker");
    var docker = await new DockerConnectionOptions().ConnectAsync();
    var container = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
    {
        Image = BusyboxImage.Name,
        Cmd = ["/bin/sh", "-c", "cat /inputs/marker.txt 2>/dev/null || echo 'marker missing: the tool sees the daemon host, not the worker'"],
        HostConfig = new HostConfig
        {
            NetworkMode = "none",
#pragma warning disable VG0004 // The point of this demo: a host bind mount of the worker's own folder.
            Binds = [$"{directory}:/inputs:ro"],
#pragma warning restore VG0004
        },
    });
    try
    {
        await docker.Containers.StartContainerAsync(container.ID, new ContainerStartParameters());
        await docker.Containers.WaitContainerAsync(container.ID);
        using var logs = await docker.Containers.GetContainerLogsAsync(container.ID, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
        var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
        Console.Write(stdout + stderr);
        return 0;
    }
    finally
    {
        await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
    }
}
