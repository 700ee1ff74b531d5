using System.Text;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests.Registry;

/// <summary>
/// The docker CLI is the reference for where credentials come from: for each docker config shape,
/// <c>docker --config DIR pull</c> and a VolumeGen pull with the same folder against the same registry
/// must both succeed or both be refused. (The CLI of this machine, on the main engine.)
/// </summary>
public class CredentialOracleTests
{
    private static string Auth(string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestRegistry.User}:{password}"));

    /// <summary>Config shapes, each with whether a pull should get in (what the CLI then confirms).</summary>
    public static TheoryData<string, bool> Configs()
    {
        var address = TestRegistry.Address;
        var good = Auth(TestRegistry.Password);
        var bad = Auth("wrong-" + TestRegistry.Password);
        return new()
        {
            { $$$$"""{"auths":{"{{{{address}}}}":{"auth":"{{{{good}}}}"}}}""", true },
            { $$$$"""{"auths":{"https://{{{{address}}}}/v1/":{"auth":"{{{{good}}}}"}}}""", true }, // an old-style key: its host
            { $$$$"""{"auths":{"http://{{{{address}}}}":{"auth":"{{{{good}}}}"}}}""", true },
            { $$$$"""{"auths":{"{{{{address}}}}":{"username":"{{{{TestRegistry.User}}}}","password":"{{{{TestRegistry.Password}}}}"}}}""", true },
            { $$$$"""{"auths":{"{{{{address}}}}":{"auth":"{{{{bad}}}}"}}}""", false },
            { $$$$"""{"auths":{"other.example:5000":{"auth":"{{{{good}}}}"}}}""", false },
            { "{}", false },
            { $$$$"""{"credHelpers":{"{{{{address}}}}":"{{{{TestRegistry.Helper()}}}}"}}""", true },
            { $$$$"""{"credsStore":"{{{{TestRegistry.Helper()}}}}"}""", true },
            { $$$$"""{"credHelpers":{"other.example:5000":"{{{{TestRegistry.Helper()}}}}"},"auths":{"{{{{address}}}}":{"auth":"{{{{good}}}}"}}}""", true },
            // A helper that has nothing for the host wins over the file: anonymous, refused.
            { $$$$"""{"credsStore":"{{{{TestRegistry.Helper(fail: "credentials not found in native keychain")}}}}","auths":{"{{{{address}}}}":{"auth":"{{{{good}}}}"}}}""", false },
            // A helper that fails otherwise leaves the file's entry: it gets in.
            { $$$$"""{"credsStore":"{{{{TestRegistry.Helper(fail: "keychain locked")}}}}","auths":{"{{{{address}}}}":{"auth":"{{{{good}}}}"}}}""", true },
        };
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task VolumeGen_finds_credentials_where_the_docker_CLI_finds_them(string config, bool getsIn)
    {
        var repository = TestRegistry.NewRepository("oracle");
        await TestRegistry.PushAsync(repository, "1", "one");
        var image = $"{TestRegistry.Address}/{repository}:1";
        var folder = TestRegistry.ConfigFolder(config);

        var cli = await CliPullsAsync(folder, image);
        await TestRegistry.RemoveAsync(image);
        var volumeGen = await VolumeGenPullsAsync(folder, image);
        await TestRegistry.RemoveAsync(image);

        Assert.Equal((getsIn, getsIn), (cli, volumeGen));
    }

    private static async Task<bool> CliPullsAsync(string configFolder, string image)
    {
        try
        {
            await ExternalProcess.RunAsync("docker", ["--config", configFolder, "pull", "--quiet", image]);
            return true;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("no basic auth credentials", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("authentication required", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }

    private static async Task<bool> VolumeGenPullsAsync(string configFolder, string image)
    {
        var runner = new ContainerToolRunner(TestRegistry.Options(configFolder, ImagePullPolicy.Always));
        try
        {
            await runner.ResolveUserAsync(new ToolRunSpec(image) { TenantId = DockerEngine.NewTenant("oracle") });
            return true;
        }
        catch (ImagePullFailedException e) when (e.Reason is ImagePullFailure.Unauthorized or ImagePullFailure.CredentialHelperFailed)
        {
            return false;
        }
    }
}
