using System.Text.Json;
using VolumeGen.Cli;

namespace VolumeGen.Integration.Tests.Cli;

/// <summary>The volumegen commands against the real engine, through the same entry point the tool uses.</summary>
public class CliTests
{
    [Fact]
    public async Task Ls_shows_a_live_volume_with_its_tenant_run_and_owner()
    {
        var tenant = DockerEngine.NewTenant("cli");
        await using var volume = new IsolatedContainerVolume(tenant, "wf-7");
        await volume.InitializeAsync(new Dictionary<string, string> { ["a.txt"] = new string('x', 5000) });

        var (exit, output, _) = await RunAsync("ls", "--tenant", tenant, "--json");

        Assert.Equal(0, exit);
        var listed = Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("volumes").EnumerateArray());
        Assert.Equal(volume.Name, listed.GetProperty("name").GetString());
        Assert.Equal("wf-7", listed.GetProperty("run").GetString());
        Assert.True(listed.GetProperty("ownerAlive").GetBoolean());
        Assert.False(listed.GetProperty("inUse").GetBoolean());
        Assert.True(listed.GetProperty("sizeBytes").GetInt64() >= 5000);

        var (_, text, _) = await RunAsync("ls", "--tenant", tenant);
        Assert.Contains(volume.Name, text);
        Assert.Contains("1 volume(s), 1 container(s)", text); // the volume's read helper, never started
    }

    [Fact]
    public async Task Sweep_removes_what_a_killed_worker_left_and_dry_run_only_reports_it()
    {
        var tenant = DockerEngine.NewTenant("cli");
        var orphan = await CrashedWorker.LeaveVolumeAsync(tenant, "crashed");

        var (dryExit, dry, _) = await RunAsync("sweep", "--older-than", "0s", "--force", "--tenant", tenant, "--dry-run");
        Assert.Equal(0, dryExit);
        Assert.Contains($"volume would be removed: {orphan}", dry);
        Assert.True(await DockerEngine.VolumeExistsAsync(orphan));

        var (exit, output, progress) = await RunAsync("sweep", "--older-than", "0s", "--force", "--tenant", tenant, "--json");
        Assert.Equal(0, exit);
        Assert.Contains($"volume removed: {orphan}", progress);
        Assert.Equal(orphan, JsonDocument.Parse(output).RootElement.GetProperty("removedVolumes")[0].GetString());
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Sweep_keeps_a_volume_younger_than_the_cutoff()
    {
        var tenant = DockerEngine.NewTenant("cli");
        var orphan = await CrashedWorker.LeaveVolumeAsync(tenant, "recent");
        try
        {
            var (exit, output, _) = await RunAsync("sweep", "--older-than", "2h", "--tenant", tenant);
            Assert.Equal(0, exit);
            Assert.Contains("removed 0 volume(s)", output);
            Assert.True(await DockerEngine.VolumeExistsAsync(orphan));
        }
        finally
        {
            await RunAsync("sweep", "--older-than", "0s", "--force", "--tenant", tenant);
        }
    }

    [Theory]
    [InlineData("ls")]
    [InlineData("sweep")]
    public async Task A_tenant_that_is_not_a_tenant_id_is_a_one_line_error_with_its_text_escaped(string command)
    {
        var args = command == "ls" ? new[] { "ls", "--tenant", "acme\u001b[2J\nforged" } : ["sweep", "--older-than", "2h", "--tenant", "acme\u001b[2J\nforged"];

        var (exit, output, error) = await RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain('\u001b', output); // the usage it prints after a parse error
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.Contains("is not a tenant ID", StringComparison.Ordinal));
        Assert.Contains("acme\\u001b[2J\\u000aforged", error);
        Assert.DoesNotContain('\u001b', error);
        Assert.DoesNotContain("   at ", error); // no stack trace
    }

    [Theory]
    [InlineData("ls", "tcp://127.0.0.1:1", "the connection was refused")]
    [InlineData("sweep", "unix:///nonexistent/volumegen/docker.sock", "there is no socket at /nonexistent/volumegen/docker.sock")]
    public async Task An_engine_that_cannot_be_used_is_one_line_and_a_non_zero_exit_code(string command, string host, string cause)
    {
        var args = command == "ls" ? new[] { "ls", "--host", host } : ["sweep", "--older-than", "2h", "--host", host];

        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(VolumeGenCli.EngineUnavailableExitCode, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"volumegen: The Docker engine at {host}", line);
        Assert.Contains(cause, line);
    }

    [Fact]
    public async Task Doctor_says_which_endpoint_it_chose_and_what_to_do_without_this_repository()
    {
        var (exit, output, _) = await RunAsync("doctor", "--host", "tcp://127.0.0.1:1");

        Assert.Equal(1, exit);
        Assert.Contains("[info] endpoint choice: tcp://127.0.0.1:1/: the options' Endpoint says tcp://127.0.0.1:1/, without TLS", output);
        Assert.Contains("[fail] endpoint: tcp://127.0.0.1:1/: the connection was refused", output);
        Assert.Contains("systemctl start docker", output);
        Assert.DoesNotContain("scripts/", output);
    }

    [Fact]
    public async Task Sweep_refuses_a_cutoff_below_the_minimum_without_force()
    {
        var tenant = DockerEngine.NewTenant("cli");
        var orphan = await CrashedWorker.LeaveVolumeAsync(tenant, "short");
        try
        {
            var (exit, _, error) = await RunAsync("sweep", "--older-than", "1m", "--tenant", tenant);
            Assert.Equal(2, exit);
            Assert.Contains("--force", error);
            Assert.True(await DockerEngine.VolumeExistsAsync(orphan));
        }
        finally
        {
            await RunAsync("sweep", "--older-than", "0s", "--force", "--tenant", tenant);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Hostile_labels_neither_crash_ls_and_sweep_nor_reach_the_terminal()
    {
        var tenant = DockerEngine.NewTenant("cli");
        var client = await DockerEngine.ClientAsync();
        var name = $"hostile-{Guid.NewGuid():N}";
        await client.Volumes.CreateAsync(new global::Docker.DotNet.Models.VolumesCreateParameters
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                ["io.volumegen.managed"] = "true",
                ["io.volumegen.tenant"] = tenant,
                ["io.volumegen.created"] = "99999999999999999", // past DateTimeOffset's range
                ["io.volumegen.run"] = "x\u001b]0;owned\u0007\u202ey",
            },
        });
        try
        {
            var (listExit, list, _) = await RunAsync("ls", "--tenant", tenant);
            Assert.Equal(0, listExit);
            Assert.Contains(name, list);
            Assert.Contains("x\\u001b]0;owned\\u0007\\u202ey", list); // escaped, not interpreted
            Assert.False(list.Contains('\u001b'), list.Replace("\u001b", "<ESC>"));

            var (sweepExit, sweep, _) = await RunAsync("sweep", "--older-than", "1h", "--tenant", tenant);
            Assert.Equal(0, sweepExit);
            Assert.Contains($"kept: {name} (unknown age", sweep);
            Assert.True(await DockerEngine.VolumeExistsAsync(name));
        }
        finally
        {
            await client.Volumes.RemoveAsync(name);
        }
    }

    [Fact]
    public async Task Doctor_reports_a_healthy_local_setup()
    {
        var (exit, output, _) = await RunAsync("doctor", "--json");

        Assert.Equal(0, exit);
        var checks = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("ok", checks["endpoint"]);
        Assert.Equal("ok", checks["api version"]);
        Assert.Equal("ok", checks["volume lifecycle"]);
        Assert.Equal("ok", checks["bind mounts"]); // the daemon shares this machine's filesystem here
        Assert.Equal("warn", checks["disk quota"]);   // local volumes have no size limit on any Docker storage
        var info = await (await DockerEngine.ClientAsync()).System.GetSystemInfoAsync();
        var unenforced = new DockerConnectionOptions().AllowUnenforcedResourceLimits ? "warn" : "fail";
        Assert.Equal(info.MemoryLimit && info.PidsLimit ? "ok" : unenforced, checks["resource limits"]);
    }

    [Fact]
    public async Task Doctor_fails_clearly_when_the_endpoint_does_not_answer()
    {
        var (exit, output, _) = await RunAsync("doctor", "--host", "unix:///nonexistent/docker.sock");

        Assert.Equal(1, exit);
        Assert.Contains("[fail] endpoint: unix:///nonexistent/docker.sock: there is no socket at /nonexistent/docker.sock", output);
        Assert.Contains("fix: start the engine", output);
    }

    [Theory]
    [InlineData("sweep", "--tenant", "x")]                  // --older-than is required
    [InlineData("sweep", "--older-than", "soon")]           // not a duration
    [InlineData("ls", "--host", "not a uri")]
    [InlineData("frobnicate")]
    public async Task Bad_arguments_exit_non_zero_with_a_message(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);
        Assert.NotEqual(0, exit);
        Assert.NotEmpty(error.Trim());
    }

    [Theory]
    [InlineData("2h", 7200)]
    [InlineData("90m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("45s", 45)]
    [InlineData("7d", 604800)]
    [InlineData("0s", 0)]
    [InlineData("1.5h", 5400)]
    public void Durations_parse_the_way_operators_write_them(string text, int seconds)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("h")]
    [InlineData("-1h")]
    [InlineData("2 hours")]
    public void Non_durations_are_rejected(string text) => Assert.False(Duration.TryParse(text, out _));

    [Fact]
    public async Task Help_names_the_command_users_type_whatever_the_executable_is_called()
    {
        var (exit, help, _) = await RunAsync("--help");
        var (_, lsHelp, _) = await RunAsync("ls", "--help");
        var (unknown, _, _) = await RunAsync("bogus");

        Assert.Equal(0, exit);
        Assert.Contains("  volumegen [command] [options]", help, StringComparison.Ordinal);
        Assert.Contains("  volumegen ls [options]", lsHelp, StringComparison.Ordinal);
        Assert.DoesNotContain("VolumeGen.Cli", help + lsHelp, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await VolumeGenCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
