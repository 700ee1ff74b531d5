// The main job: one tenant's DNS-resolver run end to end against the local Docker Engine, through
// a generated wrapper. VolumeGen's own log shows each step: volumes created, files written, tool
// run, outputs read, volumes removed.
using Microsoft.Extensions.Logging;
using VolumeGen;
using VolumeGen.Samples.StandInTools;

using var logging = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
    .SetMinimumLevel(LogLevel.Warning)
    .AddFilter("VolumeGen", LogLevel.Debug)
    .AddFilter("DnsResolver", LogLevel.Information));
var options = new IsolatedVolumeOptions { LoggerFactory = logging };

var docker = await options.ConnectAsync();
var engine = await docker.System.GetVersionAsync();
Console.WriteLine($"Docker Engine {engine.Version} (API {engine.APIVersion}), endpoint {Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock"}");
await BusyboxImage.EnsureAsync(docker);

var tenant = args.Length > 0 ? args[0] : "acme";
var run = args.Length > 1 ? args[1] : $"wf-{DateTime.UtcNow:HHmmss}";
var tool = new DnsResolverTool { Domains = "a.example\nb.example\nc.example\nb.example", Resolvers = "1.1.1.1\n9.9.9.9" };
var context = new ToolRunContext(tenant, run) { VolumeOptions = options, Logger = logging.CreateLogger("DnsResolver") };

var result = await tool.RunAsync(context);
var left = await new OrphanVolumeSweeper(options).ListVolumesAsync(tenant);
logging.Dispose(); // flush the console log before printing the results
Console.WriteLine($"Tool stdout: {result.Stdout.Trim()} (exit {result.ExitCode}, {result.Duration.TotalMilliseconds:0} ms)");
foreach (var line in tool.Results!.Split('\n', StringSplitOptions.RemoveEmptyEntries))
{
    Console.WriteLine("  " + line);
}

Console.WriteLine(left.Count == 0 ? $"No volume of tenant '{tenant}' remains." : $"Left behind: {string.Join(", ", left.Select(v => v.Name))}");
return left.Count == 0 ? 0 : 1;
