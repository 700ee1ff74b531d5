using System.Diagnostics;

namespace VolumeGen.Integration.Tests.Registry;

/// <summary>
/// Tool images from a real private registry (distribution 2.8.2, TLS, htpasswd), each test with a
/// repository of its own that the engine does not hold until a run pulls it: pull policies, digests,
/// credentials as the docker CLI finds them, every failure typed, nothing left behind.
/// </summary>
public class RegistryPullTests
{
    private static ToolRunRequest Request(string image, string tenant, Func<ToolRunSpec, ToolRunSpec>? adjust = null)
    {
        var spec = new ToolRunSpec(image)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = ["version > /outputs/version.txt"],
            Timeout = TimeSpan.FromSeconds(60),
        };
        return new ToolRunRequest(new ToolDefinition(adjust?.Invoke(spec) ?? spec) { Outputs = [new TextOutputFile("version.txt")] }, tenant, "pull");
    }

    private static async Task<string> VersionAsync(ContainerToolRunner runner, string image, Func<ToolRunSpec, ToolRunSpec>? adjust = null)
    {
        var tenant = DockerEngine.NewTenant();
        var outcome = await runner.RunToolAsync(Request(image, tenant, adjust));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
        return outcome.Get(new TextOutputFile("version.txt"))!.Trim();
    }

    /// <summary>
    /// Tag 1 ("one") of a new repository, which the engine does not hold, and a runner with the docker
    /// config's credentials that logs to <paramref name="logs"/>.
    /// </summary>
    private static async Task<(ContainerToolRunner Runner, string Image)> LoggingRunnerOfNewImageAsync(string name, RecordingLogs logs)
    {
        var repository = TestRegistry.NewRepository(name);
        await TestRegistry.PushAsync(repository, "1", "one");
        return (new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder(TestRegistry.AuthsConfig()), logs: logs.Factory)), $"{TestRegistry.Address}/{repository}:1");
    }

    /// <summary>A run that must fail before anything of it exists.</summary>
    private static async Task<TException> RefusedAsync<TException>(ContainerToolRunner runner, string image, Func<ToolRunSpec, ToolRunSpec>? adjust = null)
        where TException : Exception
    {
        var tenant = DockerEngine.NewTenant();
        var error = await Assert.ThrowsAsync<TException>(() => runner.RunToolAsync(Request(image, tenant, adjust)));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
        return error;
    }

    [Fact]
    public async Task A_missing_image_is_pulled_with_the_docker_configs_credentials_and_no_secret_is_logged()
    {
        var repository = TestRegistry.NewRepository("auths");
        await TestRegistry.PushAsync(repository, "1", "one");
        using var logs = new RecordingLogs();
        var runner = new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder(TestRegistry.AuthsConfig()), logs: logs.Factory));

        Assert.Equal("one", await VersionAsync(runner, $"{TestRegistry.Address}/{repository}:1"));

        Assert.Contains(logs.Messages, m => m.Contains($"Pulling image {TestRegistry.Address}/{repository}:1 (credentials: auths in", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.StartsWith($"Pulled image {TestRegistry.Address}/{repository}:1", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.StartsWith($"Pull of {TestRegistry.Address}/{repository}:1: layer ", StringComparison.Ordinal)); // each layer's progress, at Debug
        Assert.DoesNotContain(logs.Messages, m => m.Contains(TestRegistry.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_warm_up_pulls_a_tools_missing_image_with_the_docker_configs_credentials_and_its_first_run_pulls_nothing()
    {
        using var logs = new RecordingLogs();
        var (runner, image) = await LoggingRunnerOfNewImageAsync("warm", logs);

        await runner.WarmUpAsync([Request(image, "unused").Definition.Tool]);

        Assert.Single(logs.Messages, m => m.StartsWith($"Pulling image {image} ", StringComparison.Ordinal));
        Assert.Equal("one", await VersionAsync(runner, image));
        Assert.Single(logs.Messages, m => m.StartsWith($"Pulling image {image} ", StringComparison.Ordinal)); // the first run found the image the warm-up pulled
    }

    [Fact]
    public async Task Never_refuses_a_missing_image_and_IfMissing_keeps_the_engines_image_while_Always_takes_the_registrys()
    {
        var repository = TestRegistry.NewRepository("policy");
        var image = $"{TestRegistry.Address}/{repository}:stable";
        await TestRegistry.PushAsync(repository, "stable", "one");
        var config = TestRegistry.ConfigFolder(TestRegistry.AuthsConfig());

        var missing = await RefusedAsync<ImageNotFoundException>(new ContainerToolRunner(TestRegistry.Options(config, ImagePullPolicy.Never)), image);
        Assert.Contains("pull policy is Never", missing.Message, StringComparison.Ordinal);

        var runner = new ContainerToolRunner(TestRegistry.Options(config));
        Assert.Equal("one", await VersionAsync(runner, image));
        await TestRegistry.PushAsync(repository, "stable", "two", keepEngineImage: true); // the tag moves in the registry only
        Assert.Equal("one", await VersionAsync(runner, image)); // IfMissing: the engine has one
        Assert.Equal("two", await VersionAsync(runner, image, s => s with { PullPolicy = ImagePullPolicy.Always }));
        Assert.Equal("two", await VersionAsync(new ContainerToolRunner(TestRegistry.Options(config, ImagePullPolicy.Never)), image));
    }

    [Fact]
    public async Task A_digest_runs_exactly_that_image_after_its_tag_moved_and_a_pinned_tag_that_moved_is_refused()
    {
        var repository = TestRegistry.NewRepository("digest");
        var one = await TestRegistry.PushAsync(repository, "1", "one");
        var two = await TestRegistry.PushAsync(repository, "1", "two");
        var runner = new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder(TestRegistry.AuthsConfig())));

        Assert.Equal("one", await VersionAsync(runner, $"{TestRegistry.Address}/{repository}@{one}"));
        // name:tag@digest is the digest's image, as the engine reads it.
        Assert.Equal("one", await VersionAsync(runner, $"{TestRegistry.Address}/{repository}:1@{one}"));
        Assert.Equal("two", await VersionAsync(runner, $"{TestRegistry.Address}/{repository}:1", s => s with { ImageDigest = two }));

        var moved = await RefusedAsync<ImageDigestMismatchException>(runner, $"{TestRegistry.Address}/{repository}:1", s => s with { ImageDigest = one, PullPolicy = ImagePullPolicy.Always });
        Assert.Equal(one, moved.ExpectedDigest);
        Assert.Contains(moved.RepoDigests, d => d.EndsWith(two, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_credential_helper_gives_the_credentials_and_a_failing_one_is_named_in_the_refusal()
    {
        var repository = TestRegistry.NewRepository("helper");
        var image = $"{TestRegistry.Address}/{repository}:1";
        await TestRegistry.PushAsync(repository, "1", "one");

        var helper = TestRegistry.Helper();
        var perRegistry = new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder($$$"""{"credHelpers":{"{{{TestRegistry.Address}}}":"{{{helper}}}"}}""")));
        Assert.Equal("one", await VersionAsync(perRegistry, image));
        await TestRegistry.RemoveAsync(image);
        var store = new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder($$"""{"credsStore":"{{helper}}"}""")));
        Assert.Equal("one", await VersionAsync(store, image));
        await TestRegistry.RemoveAsync(image);

        var broken = new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder($$"""{"credsStore":"{{TestRegistry.Helper(fail: "keychain locked")}}"}""")));
        var error = await RefusedAsync<ImagePullFailedException>(broken, image);
        Assert.Equal(ImagePullFailure.CredentialHelperFailed, error.Reason);
        Assert.Contains("keychain locked", error.Message, StringComparison.Ordinal);

        var missing = new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder("""{"credsStore":"not-installed"}""")));
        Assert.Contains("not on PATH", (await RefusedAsync<ImagePullFailedException>(missing, image)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_in_the_options_come_before_the_docker_configs()
    {
        var repository = TestRegistry.NewRepository("explicit");
        await TestRegistry.PushAsync(repository, "1", "one");
        var options = TestRegistry.Options(TestRegistry.ConfigFolder(TestRegistry.AuthsConfig(password: "wrong")), credentials:
            new Dictionary<string, RegistryCredential> { [TestRegistry.Address] = new() { Username = TestRegistry.User, Password = TestRegistry.Password } });

        Assert.Equal("one", await VersionAsync(new ContainerToolRunner(options), $"{TestRegistry.Address}/{repository}:1"));
        Assert.DoesNotContain(TestRegistry.Password, options.RegistryCredentials![TestRegistry.Address].ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, ImagePullFailure> Refusals() => new()
    {
        { "wrong-password", ImagePullFailure.Unauthorized },
        { "no-credentials", ImagePullFailure.Unauthorized },
        { "untrusted-certificate", ImagePullFailure.UntrustedCertificate },
        { "closed-port", ImagePullFailure.RegistryUnreachable },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Every_pull_failure_is_typed_names_the_image_and_the_cause_and_leaves_nothing(string what, ImagePullFailure reason)
    {
        var repository = TestRegistry.NewRepository(what);
        await TestRegistry.PushAsync(repository, "1", "one");
        var (registry, config) = what switch
        {
            "wrong-password" => (TestRegistry.Address, TestRegistry.AuthsConfig(password: "wrong-" + TestRegistry.Password)),
            "no-credentials" => (TestRegistry.Address, "{}"),
            "untrusted-certificate" => (TestRegistry.Untrusted, TestRegistry.AuthsConfig(key: TestRegistry.Untrusted)),
            _ => (TestRegistry.Closed, "{}"),
        };
        var image = $"{registry}/{repository}:1";

        var error = await RefusedAsync<ImagePullFailedException>(new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder(config))), image);

        Assert.Equal((reason, image, registry), (error.Reason, error.Image, error.Registry));
        Assert.DoesNotContain(TestRegistry.Password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    [Fact]
    public async Task A_tag_or_repository_the_registry_does_not_have_is_an_image_not_found()
    {
        var repository = TestRegistry.NewRepository("absent");
        await TestRegistry.PushAsync(repository, "1", "one");
        var runner = new ContainerToolRunner(TestRegistry.Options(TestRegistry.ConfigFolder(TestRegistry.AuthsConfig())));

        foreach (var image in new[] { $"{TestRegistry.Address}/{repository}:2", $"{TestRegistry.Address}/{repository}-never-pushed:1" })
        {
            var error = await RefusedAsync<ImageNotFoundException>(runner, image);
            Assert.Equal(image, error.Image);
            Assert.Contains(TestRegistry.Address, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Concurrent_runs_that_need_the_same_missing_image_pull_it_once()
    {
        using var logs = new RecordingLogs();
        var (runner, image) = await LoggingRunnerOfNewImageAsync("once", logs);

        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => VersionAsync(runner, image)));

        Assert.All(versions, v => Assert.Equal("one", v));
        Assert.Single(logs.Messages, m => m.StartsWith($"Pulling image {image} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pull_that_makes_no_progress_fails_as_stalled_after_the_inactivity_timeout()
    {
        // A TLS server the engines trust that accepts and never answers (scripts/registry.sh starts it).
        var image = $"{TestRegistry.Stalling}/tests/stalled:1";
        var options = TestRegistry.Options(TestRegistry.ConfigFolder("{}"), inactivity: TimeSpan.FromSeconds(3));
        var stopwatch = Stopwatch.StartNew();

        var error = await RefusedAsync<ImagePullFailedException>(new ContainerToolRunner(options), image);

        Assert.Equal(ImagePullFailure.Stalled, error.Reason);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60));
    }
}
