// The hosted worker sample: jobs in jobs/inbox/*.json ({"tenant":"acme","run":"r1","targets":["a.example"],"paceSeconds":1}),
// results in jobs/done, health in health.json, traces and metrics on the console. Ctrl+C stops it
// gracefully: runs in flight are cancelled, their volumes removed, their jobs put back in the inbox.
//   dotnet run --project samples/HostedWorker -- --Jobs:ExitWhenIdle=true
using Microsoft.Extensions.Hosting;
using VolumeGen.Samples.HostedWorker;

await HostedWorkerApp.CreateBuilder(args).Build().RunAsync();
