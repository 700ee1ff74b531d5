namespace VolumeGen.Integration.Tests;

/// <summary>Pipelines: a step's output folder is the next step's input folder, on the engine, read-only; nothing is left.</summary>
public class PipelineTests
{
    /// <summary>A step of <paramref name="pipeline"/> (a request for its tenant and run).</summary>
    private static ToolRunRequest Step(ToolPipeline pipeline, string script, params ToolOutput[] outputs) =>
        ScriptRequests.Script(pipeline.TenantId, pipeline.RunId, script).WithTool(t => t with { User = "65532:65532" }).WithOutputs(outputs);

    [Fact]
    public async Task Three_steps_pass_their_files_on_the_engine_and_the_pipeline_leaves_nothing()
    {
        var tenant = DockerEngine.NewTenant("pl");
        await using (var pipeline = new ToolPipeline(Tools.Runner, tenant, "wf-1"))
        {
            var enumerate = await pipeline.RunAsync(Step(pipeline, "cat /inputs/seed.txt | sed 's/^/www./' > /outputs/hosts.txt") with
            {
                Inputs = [VolumeFile.FromText("seed.txt", "a.example\nb.example\n")],
            });
            var resolve = await pipeline.RunAsync(
                Step(pipeline, "touch /inputs/tampered 2>/dev/null && echo writable || echo read-only; sed 's/$/ 127.0.0.1/' /inputs/hosts.txt > /outputs/resolved.txt"),
                inputFrom: enumerate);
            var probe = await pipeline.RunAsync(Step(pipeline, "grep -c 127.0.0.1 /inputs/resolved.txt > /outputs/up.txt", new TextOutputFile("up.txt")), inputFrom: resolve);

            Assert.Equal("read-only\n", resolve.Outcome.Result.Stdout); // an earlier step's files cannot be changed by a later one
            Assert.Equal("2\n", probe.Outcome.Get(new TextOutputFile("up.txt")));
            Assert.Same(probe, pipeline.LastStep);
            Assert.Equal(3, (await DockerEngine.LeftoversAsync(tenant)).Volumes.Count); // the three kept output folders, nothing else
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task A_failing_step_removes_its_own_folders_at_once_and_the_earlier_ones_go_with_the_pipeline()
    {
        var tenant = DockerEngine.NewTenant("pl");
        await using (var pipeline = new ToolPipeline(Tools.Runner, tenant, "wf-2"))
        {
            var first = await pipeline.RunAsync(Step(pipeline, "echo x > /outputs/x.txt"));
            await Assert.ThrowsAsync<ContainerToolFailedException>(() => pipeline.RunAsync(Step(pipeline, "exit 4"), inputFrom: first));
            Assert.Single((await DockerEngine.LeftoversAsync(tenant)).Volumes);

            // Wrong uses are refused before anything is created.
            await Assert.ThrowsAsync<ArgumentException>(() => pipeline.RunAsync(Step(pipeline, "true") with { Inputs = [VolumeFile.FromText("a", "b")] }, inputFrom: first));
            await Assert.ThrowsAsync<MountRefusedException>(() => pipeline.RunAsync(Step(pipeline, "true").WithTool(t => t with { User = "1000:1000" }), inputFrom: first));
            await using var other = new ToolPipeline(Tools.Runner, tenant, "wf-3");
            await Assert.ThrowsAsync<ArgumentException>(() => other.RunAsync(Step(other, "true"), inputFrom: first));
            await Assert.ThrowsAsync<ArgumentException>(() => pipeline.RunAsync(Step(other, "true"))); // a request for another run
            Assert.Single((await DockerEngine.LeftoversAsync(tenant)).Volumes);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Generated_wrappers_run_as_steps_of_a_pipeline()
    {
        var tenant = DockerEngine.NewTenant("pl");
        var count = new CountLinesTool();
        await using (var pipeline = new ToolPipeline(Tools.Runner, tenant, "wf-gen"))
        {
            var sort = new SortUniqueTool { Domains = "b\na\nb\nc\n" };
            await sort.RunAsync(pipeline.Context());
            await count.RunAsync(pipeline.Context(inputFrom: pipeline.LastStep));
            Assert.Equal("a\nb\nc\n", sort.Sorted); // the first step still reads back what it declares
        }

        Assert.Equal("3\n", count.Count);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
