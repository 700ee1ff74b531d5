using Docker.DotNet;
using VolumeGen.Testing;

namespace VolumeGen.Integration.Tests.Fleet;

/// <summary>
/// The two engines a fleet test spreads its workers over: the main engine, and bookworm's Docker 20.10
/// (<c>scripts/docker-variant-engine.sh docker20</c>, started here when it does not answer, and then
/// stopped again). Both get the stand-in tool image.
/// </summary>
public sealed class FleetEngines : IAsyncLifetime
{
    private bool _startedSecond;

    public string Main { get; } = new DockerConnectionOptions().ResolvedEndpoint.ToString();

    public string Second { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await DockerEngine.ClientAsync();
        _startedSecond = !await ScriptAsync("status").ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        Second = (await ScriptAsync("start")).Trim().Split('\n')[^1];
        await FleetWorker.EnsureToolImageAsync(Second);
    }

    public async Task DisposeAsync()
    {
        if (_startedSecond)
        {
            await ScriptAsync("stop");
        }
    }

    /// <summary>The shared client of <paramref name="engine"/> (not to be disposed), to look for leftovers there.</summary>
    public static Task<IDockerClient> ClientAsync(string engine) => new DockerConnectionOptions { Endpoint = new Uri(engine) }.ConnectAsync();

    private static Task<string> ScriptAsync(string action) => RepositoryScripts.RunAsync("docker-variant-engine.sh", "docker20", action);
}

/// <summary>
/// The fleet tests share the broker and the engines, and restart the broker: one at a time, and alone
/// (the workers' sweepers would otherwise take the orphans other tests make on purpose to sweep them).
/// </summary>
[CollectionDefinition(nameof(FleetCollection), DisableParallelization = true)]
public sealed class FleetCollection : ICollectionFixture<FleetEngines>;
