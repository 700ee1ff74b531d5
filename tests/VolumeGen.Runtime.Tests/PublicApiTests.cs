using System.Reflection;
using PublicApiGenerator;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// The runtime's public API, compared with the snapshot in PublicApi.approved.txt: a change to it
/// is deliberate (run with VOLUMEGEN_UPDATE_BASELINES=1, then review the diff) and names users
/// build against stay as they are.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_api_matches_its_snapshot()
    {
        var root = typeof(PublicApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var snapshot = Path.Combine(root, "tests", "VolumeGen.Runtime.Tests", "PublicApi.approved.txt");
        var api = typeof(IsolatedContainerVolume).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false });
        if (Environment.GetEnvironmentVariable("VOLUMEGEN_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(snapshot, api);
        }

        Assert.True(File.Exists(snapshot), $"Missing {snapshot}; run with VOLUMEGEN_UPDATE_BASELINES=1 to create it.");
        Assert.Equal(File.ReadAllText(snapshot), api);
    }
}
