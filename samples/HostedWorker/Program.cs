// The hosted worker sample: jobs in jobs/inbox/*.json ({"tenant":"acme","run":"r1","targets":["a.example"],"paceSeconds":1}),
// results in jobs/done, health in health.json, traces and metrics on the console. Ctrl+C stops it
// gracefully: runs in flight are cancelled, their volumes removed, their jobs put back in the inbox.
//   dotnet run --project samples/HostedWorker -- --Jobs:ExitWhenIdle=true
// Broker mode (a fleet: any number of these on any number of engines, fed by RabbitMQ; results in
// jobs/results/<job ID>.json, failed jobs with their reason in the queue volumegen.jobs.dead):
//   ./scripts/rabbitmq.sh start
//   dotnet run --project samples/HostedWorker -- --Jobs:Source=Broker --Broker:Uri=amqp://guest:guest@127.0.0.1:5673/ --Broker:PublishFrom=jobs/inbox
using Microsoft.Extensions.Hosting;
using VolumeGen.Samples.HostedWorker;

await HostedWorkerApp.CreateBuilder(args).Build().RunAsync();
