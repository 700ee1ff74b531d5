// A worker that crashes mid-run: it creates and fills a volume, reports its name, and then either
// waits or runs a tool on the volume, until it is killed without cleaning up. The sweeper tests use
// it to make real orphans (owner process dead).
//   VolumeGen.TestWorker <tenant> <run> [<image> <tool-seconds>]
using VolumeGen;

var volume = new IsolatedContainerVolume(args[0], args[1]);
await volume.InitializeAsync(new Dictionary<string, string> { ["secret.txt"] = "left behind" });
Console.WriteLine(volume.Name);
Console.Out.Flush();
if (args.Length == 4)
{
    await new ContainerToolRunner().RunAsync(new ToolRunSpec(args[2])
    {
        Entrypoint = ["/bin/sleep"],
        Command = [args[3]],
        Mounts = [volume.GetVolumeConfig("/inputs")],
        TenantId = args[0],
        RunId = args[1],
    });
}

await Task.Delay(Timeout.Infinite);
GC.KeepAlive(volume); // never reached: the volume is left on purpose
