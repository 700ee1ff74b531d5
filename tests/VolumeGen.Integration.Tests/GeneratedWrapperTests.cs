namespace VolumeGen.Integration.Tests;

/// <summary>Generated wrappers against the real engine: outputs come back, and no volume stays behind on any path.</summary>
public class GeneratedWrapperTests
{
    [Fact]
    public async Task A_generated_wrapper_runs_and_returns_its_outputs()
    {
        var tenant = DockerEngine.NewTenant();
        var tool = new SortUniqueTool { Domains = "b.example\na.example\nb.example\n" };

        var run = await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("sorted\n", run.Stdout);
        Assert.Equal("a.example\nb.example\n", tool.Sorted);
        Assert.Null(tool.Summary); // optional and not written
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_generated_output_folder_returns_every_file_under_it()
    {
        var tenant = DockerEngine.NewTenant();
        var tool = new ReportFolderTool { Targets = "a.example\nb.example\n" };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-dir"));

        Assert.Equal(["hosts/a.example.txt", "hosts/b.example.txt", "summary.json"], tool.Reports!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("scanned b.example\n", tool.Reports["hosts/b.example.txt"]);
        Assert.Equal("{}\n", tool.Summary); // a file inside a read folder can be a property of its own
        Assert.Empty(tool.Screens!); // declared, so there (empty) when the tool started: it wrote nothing into it
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_hand_written_definition_runs_with_each_runs_values()
    {
        var tenant = DockerEngine.NewTenant();
        var output = new TextOutputFile("out.txt");
        var definition = new ToolDefinition(new ToolRunSpec(Samples.StandInTools.BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = ["cat /inputs/in.txt > /outputs/out.txt && echo \"$GREETING\" >> /outputs/out.txt"],
        })
        {
            Outputs = [output],
        };

        foreach (var (run, greeting) in new[] { ("wf-a", "hello"), ("wf-b", "bonjour") })
        {
            var outcome = await new ToolRunContext(tenant, run).RunAsync(new ToolRunRequest(definition, tenant, run)
            {
                Inputs = new ToolInputs { { "in.txt", run + "\n" }, { "unset.txt", (string?)null } },
                Environment = new ToolEnvironment { { "GREETING", greeting } },
            });
            Assert.Equal($"{run}\n{greeting}\n", outcome.Get(output));
        }

        var clash = definition with { Tool = definition.Tool with { Environment = new Dictionary<string, string> { ["GREETING"] = "x" } } };
        await Assert.ThrowsAsync<ArgumentException>(() => new ToolRunContext(tenant, "wf-c").RunAsync(
            new ToolRunRequest(clash, tenant, "wf-c") { Environment = new ToolEnvironment { { "GREETING", "y" } } }));
        await Assert.ThrowsAsync<ArgumentException>(() => new ToolRunContext(tenant, "wf-c").RunAsync(new ToolRunRequest(definition, tenant, "wf-other")));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Environment_variables_reach_the_tool_and_a_secret_stays_out_of_every_message()
    {
        var tenant = DockerEngine.NewTenant();
        var tool = new ConfiguredTool { Region = "eu west", Threads = -3, Verbose = true, Token = "s3cr3t-value" };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-env"));

        Assert.Equal("eu west|-3|unset|true|12\n", tool.Seen); // a value with a space arrives whole: no shell in between
        // A bad variable name is refused before any container, and the message names it but shows no secret.
        var bad = new ToolRunSpec(Samples.StandInTools.BusyboxImage.Name) { SecretEnvironment = new Dictionary<string, string> { ["BAD=NAME"] = "s3cr3t-value" } };
        var refused = await Assert.ThrowsAsync<UnsafeToolSpecException>(() => Tools.Runner.RunAsync(bad));
        Assert.Contains("BAD=NAME", refused.Message);
        Assert.DoesNotContain("s3cr3t", refused.ToString());
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_call_can_change_the_declared_tool_settings()
    {
        var tenant = DockerEngine.NewTenant();
        var tool = new ConfiguredTool { Region = "declared" };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-configured")
        {
            ConfigureTool = spec => spec with { Environment = new Dictionary<string, string>(spec.Environment!) { ["SCAN_REGION"] = "per-call" }, PidsLimit = 128 },
        });

        Assert.StartsWith("per-call|", tool.Seen);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Every_input_and_output_kind_round_trips()
    {
        var tenant = DockerEngine.NewTenant();
        using var stream = new MemoryStream([7, 8, 9]);
        using var streamedOut = new MemoryStream();
        using var neverWritten = new MemoryStream();
        var tool = new CopyAllKindsTool { Text = "héllo", Bytes = [0, 255], Memory = new byte[] { 1, 2 }, Stream = stream, AllStreamed = streamedOut, NeverWritten = neverWritten };

        await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        Assert.Equal(new byte[] { 0, 255, 1, 2, 7, 8, 9 }, tool.All);
        Assert.Equal(new byte[] { 0, 255, 1, 2, 7, 8, 9 }, streamedOut.ToArray()); // copied into the caller's stream
        Assert.Equal(0, neverWritten.Length); // optional and missing: nothing written
        Assert.Equal("héllo", tool.TextBack);
        Assert.Equal("extra\n"u8.ToArray(), tool.Extra);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_failing_tool_throws_with_its_exit_code_and_stderr_and_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        var tool = new ScriptTool { Script = "echo 'bad input' >&2; exit 3" };

        var error = await Assert.ThrowsAsync<ContainerToolFailedException>(() => tool.RunAsync(new ToolRunContext(tenant, "wf-1")));

        Assert.Equal(3, error.ExitCode);
        Assert.Equal("bad input\n", error.StderrTail);
        Assert.Null(tool.Result);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_non_zero_exit_is_returned_when_allowed()
    {
        var tenant = DockerEngine.NewTenant();
        var run = await new LenientScriptTool { Script = "exit 5" }.RunAsync(new ToolRunContext(tenant, "wf-1"));
        Assert.Equal(5, run.ExitCode);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_timed_out_tool_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        var tool = new ScriptTool { Script = "sleep 600" };

        await Assert.ThrowsAsync<ContainerToolTimeoutException>(() => tool.RunAsync(new ToolRunContext(tenant, "wf-1")));

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Cancelling_a_generated_run_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new ScriptTool { Script = "sleep 600" }.RunAsync(new ToolRunContext(tenant, "wf-1"), cts.Token));

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_missing_required_output_is_an_error_naming_the_file()
    {
        var tenant = DockerEngine.NewTenant();
        var error = await Assert.ThrowsAsync<VolumeFileNotFoundException>(() =>
            new ScriptTool { Script = "echo forgot the output" }.RunAsync(new ToolRunContext(tenant, "wf-1")));

        Assert.Equal("result.txt", error.FileName);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Inputs_are_read_only_for_a_generated_tool()
    {
        var tenant = DockerEngine.NewTenant();
        var tool = new ScriptTool { Script = "echo x > /inputs/script.sh 2>/outputs/result.txt; cat /outputs/result.txt >&2; echo done > /outputs/result.txt" };

        var run = await tool.RunAsync(new ToolRunContext(tenant, "wf-1"));

        Assert.Contains("Read-only file system", run.Stderr);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
