// The main job: one tenant's tool runs end to end against the local Docker Engine. VolumeGen's own
// log shows each step (volumes created, files written, tool run, outputs read, volumes removed).
//   1. a DNS resolver through a generated wrapper (domains + resolvers in, JSON lines out)
//   2. a template scanner through a generated wrapper (YAML config + template tree in, report out, uid 65532)
//   3. an authenticated export written by hand (credentials read-only, empty output volume read-write)
//   4. a real nmap scan of the tool's own loopback (generated wrapper, XML parsed into hosts and ports)
//   5. real yara, jq and sqlite3 from images that run as root, 1000:1000 and a named user (generated wrappers)
using Microsoft.Extensions.Logging;
using VolumeGen;
using VolumeGen.Samples.StandInTools;

using var logging = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
    .SetMinimumLevel(LogLevel.Warning)
    .AddFilter("VolumeGen", LogLevel.Debug)
    .AddFilter("Sample", LogLevel.Information));
var log = logging.CreateLogger("Sample");
var options = new IsolatedVolumeOptions { LoggerFactory = logging };

var docker = await options.ConnectAsync();
var engine = await docker.System.GetVersionAsync();
log.LogInformation("Docker Engine {Version} (API {Api}), endpoint {Endpoint}", engine.Version, engine.APIVersion,
    Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock");
await BusyboxImage.EnsureAsync(docker);

var tenant = args.Length > 0 ? args[0] : "acme";
var run = args.Length > 1 ? args[1] : $"wf-{DateTime.UtcNow:HHmmss}";
var context = new ToolRunContext(tenant, run) { VolumeOptions = options }; // the runner logs through options.LoggerFactory

log.LogInformation("1. DNS resolver (generated wrapper)");
var resolver = new DnsResolverTool { Domains = "a.example\nb.example\nc.example", Resolvers = "1.1.1.1\n9.9.9.9" };
var resolved = await resolver.RunAsync(context);
log.LogInformation("resolver said '{Stdout}'; results.jsonl:\n{Results}", resolved.Stdout.Trim(), resolver.Results!.TrimEnd());

log.LogInformation("2. Template scanner as uid 65532 (generated wrapper)");
var scanner = new TemplateScannerTool
{
    Config = "severity: medium\nrate-limit: 10\n",
    HttpTemplate = "id: missing-security-headers\n",
    DnsTemplate = "id: subdomain-takeover\n",
    Targets = "https://a.example\nhttps://b.example\n",
};
var scanned = await scanner.RunAsync(context);
log.LogInformation("scanner said '{Stdout}'; report.json: {Report}", scanned.Stdout.Trim(), scanner.Report);

log.LogInformation("3. Authenticated export (two volumes by hand: credentials read-only, output read-write)");
var export = await AuthenticatedExport.RunAsync(tenant, run, token: "s3cr3t-token", options);
log.LogInformation("export.txt: {Export}", export.Trim());

log.LogInformation("4. nmap (a real scanner from Debian's package, imported locally) on its own loopback, as uid 65532, network none");
await NmapImage.EnsureAsync(docker);
var nmap = new NmapScan { Targets = "127.0.0.1", Ports = "22,80,8080", ListenPort = 8080 };
await nmap.RunAsync(context);
foreach (var host in nmap.Report.Hosts)
{
    log.LogInformation("host {Address} is {Status}: {Ports}", host.Address, host.Status,
        string.Join(", ", host.Ports.Select(p => $"{p.Number}/{p.Protocol} {p.State}")));
}

log.LogInformation("5. yara (image user root: runs as 65532), jq (image user 1000:1000), sqlite3 (image user 'analyst' from its own /etc/passwd)");
await DebianToolImages.EnsureYaraAsync(docker);
var yara = new YaraScan { Rules = "rule Evil { strings: $a = \"EVIL\" condition: $a }", SampleOne = "..EVIL.."u8.ToArray(), SampleTwo = "benign"u8.ToArray() };
await yara.RunAsync(context);
log.LogInformation("yara matches: {Matches}", string.Join(", ", yara.Matches.Select(m => $"{m.Rule} in {m.Sample}")));
await DebianToolImages.EnsureJqAsync(docker);
var jq = new JqFilter { Json = """[{"host":"a.example","port":22},{"host":"b.example","port":8443}]""", Filter = "map(select(.port > 1000) | .host)" };
await jq.RunAsync(context);
log.LogInformation("jq: hosts on high ports {Hosts}", jq.ResultJson!.Trim());
await DebianToolImages.EnsureSqliteAsync(docker);
var sqlite = new SqliteEdit { Changes = "CREATE TABLE findings(host TEXT); INSERT INTO findings VALUES ('b.example');" };
await sqlite.RunAsync(context);
log.LogInformation("sqlite3 wrote a {Bytes}-byte database", sqlite.Result!.Length);

var left = await new OrphanVolumeSweeper(options).ListVolumesAsync(tenant);
log.LogInformation(left.Count == 0 ? "No volume of tenant {Tenant} remains." : "Left behind for {Tenant}: {Volumes}", tenant, string.Join(", ", left.Select(v => v.Name)));
return left.Count == 0 ? 0 : 1;
