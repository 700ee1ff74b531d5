// The main job: one tenant's DNS-resolver run end to end against the local Docker Engine.
using VolumeGen;
using VolumeGen.Samples.DnsResolver;
using VolumeGen.Samples.StandInTools;

var docker = await new DockerConnectionOptions().ConnectAsync();
var engine = await docker.System.GetVersionAsync();
Console.WriteLine($"Docker Engine {engine.Version} (API {engine.APIVersion}), endpoint {Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock"}");
await BusyboxImage.EnsureAsync(docker);

var tenant = args.Length > 0 ? args[0] : "acme";
var run = args.Length > 1 ? args[1] : $"wf-{DateTime.UtcNow:HHmmss}";
Console.WriteLine($"Tenant {tenant}, run {run}:");
var lines = await new DnsResolverRun(tenant, run, step => Console.WriteLine("  " + step))
    .RunAsync(["a.example", "b.example", "c.example"], ["1.1.1.1", "9.9.9.9"], CancellationToken.None);
foreach (var line in lines)
{
    Console.WriteLine("  " + line);
}

var left = await new OrphanVolumeSweeper().ListVolumesAsync(tenant);
Console.WriteLine(left.Count == 0 ? "No volume of this tenant remains." : $"Left behind: {string.Join(", ", left.Select(v => v.Name))}");
return left.Count == 0 ? 0 : 1;
