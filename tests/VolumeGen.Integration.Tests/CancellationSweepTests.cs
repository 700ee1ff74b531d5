namespace VolumeGen.Integration.Tests;

/// <summary>
/// Cancellation at every lifecycle step: a generated run is cancelled before it starts and then at
/// delays that land in each step (input volume, output volume, tool start, tool run, read-back,
/// cleanup) and after it ends. Whatever the moment, nothing of the run may remain.
/// </summary>
public class CancellationSweepTests
{
    [Theory]
    [InlineData(-1)] // cancelled before the call
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(30)]
    [InlineData(50)]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(170)]
    [InlineData(230)]
    [InlineData(300)]
    [InlineData(400)]
    [InlineData(550)]
    [InlineData(5000)] // after the run has finished
    public async Task A_generated_run_cancelled_at_any_moment_leaves_nothing(int delayMs)
    {
        var tenant = DockerEngine.NewTenant("cx");
        using var cts = new CancellationTokenSource();
        if (delayMs < 0)
        {
            cts.Cancel();
        }
        else
        {
            cts.CancelAfter(delayMs);
        }

        var tool = new SortUniqueTool { Domains = "b\na\n" };
        try
        {
            await tool.RunAsync(new ToolRunContext(tenant, "wf-1"), cts.Token);
            Assert.Equal("a\nb\n", tool.Sorted); // finished before the token fired: the result is whole
        }
        catch (OperationCanceledException)
        {
            Assert.True(cts.IsCancellationRequested);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
        // And still nothing a moment later: a request cancelled in flight can complete on the
        // daemon after the run's cleanup has looked (that is how a volume once leaked here).
        await Task.Delay(1000);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
