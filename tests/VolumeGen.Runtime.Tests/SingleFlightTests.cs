using VolumeGen.Engine;
using Xunit;

namespace VolumeGen.Runtime.Tests;

/// <summary>The one per-key cache behind connections, the helper image, image users and pulls.</summary>
public sealed class SingleFlightTests
{
    [Fact]
    public async Task Callers_during_the_work_share_one_start_and_a_kept_result_serves_later_callers()
    {
        var flight = new SingleFlight<string, int>(keepResults: true);
        var starts = 0;
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> Start(string _)
        {
            Interlocked.Increment(ref starts);
            return gate.Task;
        }

        var waiting = Enumerable.Range(0, 5).Select(_ => flight.GetAsync("k", Start, default)).ToList();
        gate.SetResult(7);

        Assert.All(await Task.WhenAll(waiting), value => Assert.Equal(7, value));
        Assert.Equal(7, await flight.GetAsync("k", Start, default));
        Assert.Equal(1, starts);
        flight.Forget("k");
        Assert.Equal(7, await flight.GetAsync("k", Start, default));
        Assert.Equal(2, starts);
    }

    [Fact]
    public async Task A_failure_is_never_remembered_and_without_keepResults_neither_is_a_success()
    {
        var kept = new SingleFlight<string, int>(keepResults: true);
        var attempts = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => kept.GetAsync("k", _ => Attempt(++attempts), default));
        Assert.Equal(2, await kept.GetAsync("k", _ => Attempt(++attempts), default));

        var pulls = new SingleFlight<string, int>(keepResults: false);
        var runs = 0;
        await pulls.GetAsync("k", _ => Task.FromResult(++runs), default);
        await pulls.GetAsync("k", _ => Task.FromResult(++runs), default);
        Assert.Equal(2, runs);

        static Task<int> Attempt(int n) => n == 1 ? Task.FromException<int>(new InvalidOperationException("down")) : Task.FromResult(n);
    }

    [Fact]
    public async Task A_caller_that_gives_up_leaves_the_work_to_the_others()
    {
        var flight = new SingleFlight<string, int>(keepResults: false);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var quitter = flight.GetAsync("k", _ => gate.Task, cancel.Token);
        var stayer = flight.GetAsync("k", _ => Task.FromResult(-1), default);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter);
        gate.SetResult(3);
        Assert.Equal(3, await stayer);
    }

    [Fact]
    public async Task A_cancelled_starter_returns_only_when_its_work_has_ended_if_asked_to()
    {
        var flight = new SingleFlight<string, int>(keepResults: true, starterWaitsOnCancel: true);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var starter = flight.GetAsync("k", _ => gate.Task, cancel.Token);

        await cancel.CancelAsync();
        await Task.Delay(50);
        Assert.False(starter.IsCompleted); // its probe still exists

        gate.SetResult(1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starter);
    }
}
