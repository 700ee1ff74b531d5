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

    /// <summary>
    /// Config shapes, each with whether a pull should get in (what the CLI then confirms). Written
    /// with &lt;PLACEHOLDERS&gt; that the test fills in: discovering the tests reads no registry address and
    /// makes no helper script, and each case's name stays the same from run to run.
    /// </summary>
    public static TheoryData<string, bool> Configs() => new()
    {
        { """{"auths":{"<ADDRESS>":{"auth":"<GOOD>"}}}""", true },
        { """{"auths":{"https://<ADDRESS>/v1/":{"auth":"<GOOD>"}}}""", true }, // an old-style key: its host
        { """{"auths":{"http://<ADDRESS>":{"auth":"<GOOD>"}}}""", true },
        { """{"auths":{"<ADDRESS>":{"username":"<USER>","password":"<PASSWORD>"}}}""", true },
        { """{"auths":{"<ADDRESS>":{"auth":"<BAD>"}}}""", false },
        { """{"auths":{"other.example:5000":{"auth":"<GOOD>"}}}""", false },
        { "{}", false },
        { """{"credHelpers":{"<ADDRESS>":"<HELPER>"}}""", true },
        { """{"credsStore":"<HELPER>"}""", true },
        { """{"credHelpers":{"other.example:5000":"<HELPER>"},"auths":{"<ADDRESS>":{"auth":"<GOOD>"}}}""", true },
        // A helper that has nothing for the host wins over the file: anonymous, refused.
        { """{"credsStore":"<NOT_FOUND_HELPER>","auths":{"<ADDRESS>":{"auth":"<GOOD>"}}}""", false },
        // A helper that fails otherwise leaves the file's entry: it gets in.
        { """{"credsStore":"<LOCKED_HELPER>","auths":{"<ADDRESS>":{"auth":"<GOOD>"}}}""", true },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task VolumeGen_finds_credentials_where_the_docker_CLI_finds_them(string shape, bool getsIn)
    {
        var repository = TestRegistry.NewRepository("oracle");
        await TestRegistry.PushAsync(repository, "1", "one");
        var image = $"{TestRegistry.Address}/{repository}:1";
        var folder = TestRegistry.ConfigFolder(Fill(shape));

        var cli = await CliPullsAsync(folder, image);
        await TestRegistry.RemoveAsync(image);
        var volumeGen = await VolumeGenPullsAsync(folder, image);
        await TestRegistry.RemoveAsync(image);

        Assert.Equal((getsIn, getsIn), (cli, volumeGen));
    }

    /// <summary>The shape with this registry's address and credentials, and a fresh helper script where it names one.</summary>
    private static string Fill(string shape)
    {
        (string Placeholder, Func<string> Value)[] values =
        [
            ("<NOT_FOUND_HELPER>", () => TestRegistry.Helper(fail: "credentials not found in native keychain")),
            ("<LOCKED_HELPER>", () => TestRegistry.Helper(fail: "keychain locked")),
            ("<HELPER>", () => TestRegistry.Helper()),
            ("<ADDRESS>", () => TestRegistry.Address),
            ("<GOOD>", () => Auth(TestRegistry.Password)),
            ("<BAD>", () => Auth("wrong-" + TestRegistry.Password)),
            ("<USER>", () => TestRegistry.User),
            ("<PASSWORD>", () => TestRegistry.Password),
        ];
        foreach (var (placeholder, value) in values)
        {
            if (shape.Contains(placeholder, StringComparison.Ordinal))
            {
                shape = shape.Replace(placeholder, value(), StringComparison.Ordinal);
            }
        }

        return shape;
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
