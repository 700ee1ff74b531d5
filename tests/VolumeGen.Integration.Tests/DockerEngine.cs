using Docker.DotNet;
using Docker.DotNet.Models;
using VolumeGen.Engine;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// The real engine every test in this assembly runs against. There is no skipping: if the engine
/// is not reachable, every test fails with a message saying how to start it.
/// </summary>
internal static class DockerEngine
{
    private static readonly Lazy<Task<IDockerClient>> Connection = new(ConnectAsync);

    public static Task<IDockerClient> ClientAsync() => Connection.Value;

    /// <summary>
    /// A tenant ID no other test uses, so leftover checks can be scoped to one test. Every test that
    /// runs tools starts here, so this is also where the engine and the stand-in image are made sure
    /// of: a fresh engine has no image, and tests run in parallel in any order.
    /// </summary>
    public static string NewTenant(string prefix = "t")
    {
        Task.Run(ClientAsync).GetAwaiter().GetResult(); // off the test's synchronization context
        return $"{prefix}{Guid.NewGuid():N}"[..20];
    }

    /// <summary>True when the engine under test is Podman (selected with DOCKER_HOST).</summary>
    public static async Task<bool> IsPodmanAsync() =>
        (await EngineProfile.ForAsync(DockerApi.For(await ClientAsync()), CancellationToken.None)).IsPodman;

    /// <summary>True when containers' root is an unprivileged host user (userns-remap, rootless).</summary>
    public static async Task<bool> RunsInUserNamespaceAsync()
    {
        var info = await (await ClientAsync()).System.GetSystemInfoAsync();
        return info.SecurityOptions?.Any(o => o.Contains("name=userns", StringComparison.Ordinal) || o.Contains("name=rootless", StringComparison.Ordinal)) == true;
    }

    public static async Task<bool> VolumeExistsAsync(string name)
    {
        var client = await ClientAsync();
        try
        {
            await client.Volumes.InspectAsync(name);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Every volume and container carrying this tenant's label: what a test left behind (on another engine when <paramref name="engine"/> is given).</summary>
    public static async Task<(IList<string> Volumes, IList<string> Containers)> LeftoversAsync(string tenant, IDockerClient? engine = null)
    {
        var client = engine ?? await ClientAsync();
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{DockerConnectionOptions.DefaultLabelPrefix}.tenant={tenant}"] = true },
        };
        var volumes = await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter });
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter });
        // A container is named with its role and state: which step left it is the first question.
        return ((volumes.Volumes ?? []).Select(v => v.Name).ToList(),
            containers.Select(c => $"{c.ID[..12]} role={(c.Labels is { } labels && labels.TryGetValue($"{DockerConnectionOptions.DefaultLabelPrefix}.role", out var role) ? role : "?")} state={c.State} image={c.Image}").ToList());
    }

    /// <summary>
    /// This tenant's containers other than the never-started read helpers its live volumes keep (a
    /// volume's helper goes with its first read or its cleanup): a tool container here was left behind.
    /// </summary>
    public static async Task<IList<string>> ContainersBesidesReadHelpersAsync(string tenant) =>
        (await LeftoversAsync(tenant)).Containers.Where(c => !c.Contains(" role=helper state=created ", StringComparison.Ordinal)).ToList();

    public static async Task AssertNoLeftoversAsync(string tenant)
    {
        var (volumes, containers) = await LeftoversAsync(tenant);
        Assert.Empty(volumes);
        Assert.Empty(containers);
    }

    private static async Task<IDockerClient> ConnectAsync()
    {
        IDockerClient client;
        try
        {
            client = await new DockerConnectionOptions().ConnectAsync().ConfigureAwait(false);
            await client.System.PingAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"No Docker Engine at {new DockerConnectionOptions().ResolvedEndpoint}. Start one with scripts/docker-engine.sh start.", e);
        }

        await BusyboxImage.EnsureAsync(client).ConfigureAwait(false);
        return client;
    }
}
