using VolumeGen.Engine;

namespace VolumeGen.Runtime.Tests;

public class NegotiationTests
{
    [Theory]
    [InlineData("1.41", "1.12", "1.41")] // Docker 20.10, as installed here
    [InlineData("1.47", "1.24", "1.47")]
    [InlineData("1.60", "1.44", "1.52")] // newer than the client: the client's newest
    public void Picks_the_highest_common_version(string daemonMax, string daemonMin, string expected) =>
        Assert.Equal(Version.Parse(expected), DockerConnections.Negotiate("tcp://engine:2376/", Version.Parse(daemonMax), Version.Parse(daemonMin)));

    [Theory]
    [InlineData("1.40", "1.12")] // too old for VolumeGen
    [InlineData("1.70", "1.60")] // refuses everything the client speaks
    public void Explains_when_there_is_no_common_version(string daemonMax, string daemonMin)
    {
        var error = Assert.Throws<EngineUnavailableException>(() => DockerConnections.Negotiate("tcp://engine:2376/", Version.Parse(daemonMax), Version.Parse(daemonMin)));
        Assert.Contains("no common Docker Engine API version", error.Message);
        Assert.Equal("tcp://engine:2376/", error.Endpoint);
        Assert.False(error.IsTransient); // another engine or VolumeGen version is needed, not a retry
    }
}
