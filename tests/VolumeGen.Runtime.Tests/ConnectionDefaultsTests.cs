using System.Reflection;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// Tests that change process-wide state (the environment) or depend on timers keeping time (a starved
/// thread pool, with CPU-heavy property tests beside them on two cores, stretches 50 ms to 500): run alone.
/// </summary>
[CollectionDefinition(nameof(SerialCollection), DisableParallelization = true)]
public sealed class SerialCollection;

/// <summary>Where VolumeGen connects without an endpoint, decided once, and what a context's runner uses.</summary>
[Collection(nameof(SerialCollection))]
public class ConnectionDefaultsTests
{
    [Theory]
    [InlineData(null, "unix:///var/run/docker.sock")]
    [InlineData("", "unix:///var/run/docker.sock")] // set but empty: the socket, everywhere (the CLI once said otherwise; this machine's engine has that socket)
    [InlineData("tcp://10.0.0.5:2375", "tcp://10.0.0.5:2375")]
    public void The_endpoint_is_the_options_one_else_a_non_empty_DOCKER_HOST_else_the_socket(string? dockerHost, string expected)
    {
        var saved = (Host: Environment.GetEnvironmentVariable("DOCKER_HOST"), Config: Environment.GetEnvironmentVariable("DOCKER_CONFIG"));
        // No context of this machine's user may take part: an empty docker config folder.
        var config = Directory.CreateTempSubdirectory("volumegen-docker-config").FullName;
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", dockerHost);
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", config);
            Assert.Equal(new Uri(expected), new DockerConnectionOptions().ResolvedEndpoint);
            Assert.Equal(new Uri("unix:///run/other.sock"), new IsolatedVolumeOptions { Endpoint = new Uri("unix:///run/other.sock") }.ResolvedEndpoint);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", saved.Host);
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", saved.Config);
            Directory.Delete(config);
        }
    }

    [Fact]
    public void A_context_copied_with_other_options_gets_a_runner_for_those_options()
    {
        var first = new ToolRunContext("t", "r");
        _ = first.Runner; // the old code cached this one, and every 'with' copy kept it
        var options = new IsolatedVolumeOptions { Endpoint = new Uri("unix:///run/other.sock") };

        var copy = first with { VolumeOptions = options };

        Assert.Same(options, OptionsOf(copy.Runner));
        var explicitRunner = new ContainerToolRunner();
        Assert.Same(explicitRunner, (new ToolRunContext("t", "r") { Runner = explicitRunner } with { VolumeOptions = options }).Runner);
    }

    private static object? OptionsOf(ContainerToolRunner runner) =>
        typeof(ContainerToolRunner).GetField("_options", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(runner);
}
