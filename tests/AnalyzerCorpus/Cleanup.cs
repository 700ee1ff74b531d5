// VG0001 ground truth: the VG0001 markup marks a volume that really can leak (some path leaves the
// method with the volume still on the engine). Unmarked creations really are cleaned up or owned
// elsewhere. Some cases are shapes the rule is known to get wrong; the report counts them.
namespace Corpus;

public class Cleanup(ContainerToolRunner runner)
{
    private IsolatedContainerVolume? field;
    private readonly List<IsolatedContainerVolume> kept = [];

    public async Task NoCleanup(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
    }

    public async Task HappyPathOnly(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        await v.CleanupAsync();
    }

    public async Task FinallyCoversUse(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        finally
        {
            await v.CleanupAsync();
        }
    }

    public async Task AwaitUsingConfigureAwaitDeclaration(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        await using var _ = v.ConfigureAwait(false); // CA2007's form of 'await using'
        await v.InitializeAsync(files).ConfigureAwait(false);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs"))).ConfigureAwait(false);
    }

    public async Task AwaitUsingConfigureAwaitStatement(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        await using (v.ConfigureAwait(false))
        {
            await v.InitializeAsync(files).ConfigureAwait(false);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs"))).ConfigureAwait(false);
        }
    }

    public async Task ConfiguredButNeverDisposed(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        var configured = v.ConfigureAwait(false);
        await v.InitializeAsync(files).ConfigureAwait(false);
    }

    public async Task AwaitUsingDeclaration(string t, string r, Dictionary<string, string> files)
    {
        await using var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(files);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
    }

    public async Task AwaitUsingStatement(string t, string r, Dictionary<string, string> files)
    {
        await using (var v = new IsolatedContainerVolume(t, r))
        {
            await v.InitializeAsync(files);
        }
    }

    public async Task AwaitUsingExisting(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        await using (v)
        {
            await v.InitializeAsync(files);
        }
    }

    public async Task InitializeBeforeTry(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(files);
        try
        {
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        finally
        {
            await v.DisposeAsync();
        }
    }

    public async Task AwaitBetweenInitializeAndTry(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        await Task.Delay(10);
        try
        {
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        finally
        {
            await v.CleanupAsync();
        }
    }

    public async Task EarlyReturnBeforeTry(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        if (files.Count > 3)
        {
            return;
        }

        try
        {
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        finally
        {
            await v.CleanupAsync();
        }
    }

    public async Task EarlyReturnBeforeInitialize(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        if (files.Count == 0)
        {
            return;
        }

        await using (v)
        {
            await v.InitializeAsync(files);
        }
    }

    public async Task TwoInitializedBeforeOneTry(string t, string r, Dictionary<string, string> files)
    {
        var a = {|VG0001:new IsolatedContainerVolume(t, r + "a")|};
        var b = new IsolatedContainerVolume(t, r + "b");
        await a.InitializeAsync(files);
        await b.InitializeAsync(files);
        try
        {
            await runner.RunAsync(Helpers.Spec(a.GetVolumeConfig("/a"), b.GetVolumeConfig("/b")));
        }
        finally
        {
            await Task.WhenAll(a.CleanupAsync(), b.CleanupAsync());
        }
    }

    public async Task TwoInitializedTogetherInTheTry(string t, string r, Dictionary<string, string> files)
    {
        var a = new IsolatedContainerVolume(t, r + "a");
        var b = new IsolatedContainerVolume(t, r + "b");
        try
        {
            await Task.WhenAll(a.InitializeAsync(files), b.InitializeAsync(files));
            await runner.RunAsync(Helpers.Spec(a.GetVolumeConfig("/a"), b.GetVolumeConfig("/b")));
        }
        finally
        {
            await Task.WhenAll(a.CleanupAsync(), b.CleanupAsync());
        }
    }

    public async Task ConditionalCleanupInFinally(string t, string r, Dictionary<string, string> files, bool ok)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            if (ok)
            {
                await v.CleanupAsync();
            }
        }
    }

    public async Task DiscardedCleanup(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            _ = v.CleanupAsync();
        }
    }

    public async Task CleanupTaskAwaitedLater(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            var pending = v.CleanupAsync();
            await pending;
        }
    }

    public async Task CleanupWithConfigureAwait(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files).ConfigureAwait(false);
        }
        finally
        {
            await v.CleanupAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task CleanupRacedWithTimeout(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            await Task.WhenAny(v.CleanupAsync(), Task.Delay(1000));
        }
    }

    public async Task CleanupOnlyInCatch(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        try
        {
            await v.InitializeAsync(files);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        catch (Exception)
        {
            await v.CleanupAsync();
            throw;
        }
    }

    public async Task CatchRethrowAndAfter(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        catch
        {
            await v.CleanupAsync();
            throw;
        }

        await v.CleanupAsync();
    }

    public async Task CatchSomeTypesOnly(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        try
        {
            await v.InitializeAsync(files);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        catch (TimeoutException)
        {
            await v.CleanupAsync();
            throw;
        }

        await v.CleanupAsync();
    }

    public async Task CatchLogsThenCleansUpAfter(string t, string r, Dictionary<string, string> files)
    {
        // The logging call in the catch can throw too, and then the volume leaks.
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        try
        {
            await v.InitializeAsync(files);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        catch (Exception e)
        {
            Console.WriteLine(e.Message);
        }

        await v.CleanupAsync();
    }

    public async Task NullableCreatedInTry(string t, string r, Dictionary<string, string> files)
    {
        IsolatedContainerVolume? v = null;
        try
        {
            v = new IsolatedContainerVolume(t, r);
            await v.InitializeAsync(files);
        }
        finally
        {
            if (v != null)
            {
                await v.CleanupAsync();
            }
        }
    }

    public async Task ConditionalAccessCleanup(string t, string r, Dictionary<string, string> files)
    {
        IsolatedContainerVolume? v = null;
        try
        {
            v = new IsolatedContainerVolume(t, r);
            await v.InitializeAsync(files);
        }
        finally
        {
            await (v?.CleanupAsync() ?? Task.CompletedTask);
        }
    }

    public async Task PatternCleanup(string t, string r, Dictionary<string, string> files)
    {
        IsolatedContainerVolume? v = null;
        try
        {
            v = new IsolatedContainerVolume(t, r);
            await v.InitializeAsync(files);
        }
        finally
        {
            if (v is { } created)
            {
                await created.DisposeAsync();
            }
        }
    }

    public async Task GeneratedPattern(string t, string r, Dictionary<string, string> files)
    {
        var inputs = new IsolatedContainerVolume(t, r);
        var outputs = new IsolatedContainerVolume(t, r);
        Exception? failure = null;
        try
        {
            await Task.WhenAll(inputs.InitializeAsync(files), outputs.InitializeAsync([])).ConfigureAwait(false);
            await runner.RunAsync(Helpers.Spec(inputs.GetVolumeConfig("/inputs"), outputs.GetVolumeConfig("/outputs", false)));
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            await VolumeCleanup.CleanupAsync(failure, inputs, outputs).ConfigureAwait(false);
        }
    }

    public IsolatedContainerVolume ReturnedExpression(string t, string r) => new IsolatedContainerVolume(t, r);

    public async Task<IsolatedContainerVolume> ReturnedAfterInitialize(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(files);
        return v;
    }

    public async Task<IsolatedContainerVolume?> ReturnedOnOnePathOnly(string t, string r, Dictionary<string, string> files, bool ok)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        if (ok)
        {
            return v;
        }

        return null;
    }

    public async Task StoredInField(string t, string r, Dictionary<string, string> files)
    {
        field = new IsolatedContainerVolume(t, r);
        await field.InitializeAsync(files);
    }

    public async Task StoredInFieldAfterInitialize(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        field = v;
        await v.InitializeAsync(files);
    }

    public async Task StoredInProperty(string t, string r, Dictionary<string, string> files, Holder holder)
    {
        holder.Volume = new IsolatedContainerVolume(t, r);
        await holder.Volume.InitializeAsync(files);
    }

    public async Task AddedToOwnedList(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        kept.Add(v);
        await v.InitializeAsync(files);
    }

    public async Task LocalListCleanedInFinally(string t, string r, Dictionary<string, string> files)
    {
        var volumes = new List<IsolatedContainerVolume>();
        try
        {
            foreach (var file in files)
            {
                var v = new IsolatedContainerVolume(t, r + file.Key);
                volumes.Add(v);
                await v.InitializeAsync(new Dictionary<string, string> { [file.Key] = file.Value });
            }
        }
        finally
        {
            foreach (var v in volumes)
            {
                await v.CleanupAsync();
            }
        }
    }

    public async Task LocalListNeverCleaned(string t, string r, Dictionary<string, string> files)
    {
        var volumes = new List<IsolatedContainerVolume>();
        foreach (var file in files)
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r + file.Key)|};
            volumes.Add(v);
            await v.InitializeAsync(files);
        }
    }

    public async Task HandedToChannel(string t, string r, Dictionary<string, string> files, ChannelWriter<IsolatedContainerVolume> next)
    {
        var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(files);
        await next.WriteAsync(v);
    }

    public async Task PassedToHelperPlain(string t, string r)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await Helpers.UseAsync(v);
    }

    public async Task PassedToHelperInline(string t, string r) =>
        await Helpers.UseAsync({|VG0001:new IsolatedContainerVolume(t, r)|});

    public async Task PassedToHelperInLoop(string t, string r, Dictionary<string, string> files)
    {
        foreach (var key in files.Keys)
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r + key)|};
            await Helpers.UseAsync(v);
        }
    }

    public async Task PassedToHelperInLambda(string t, string r, Dictionary<string, string> files) =>
        await Task.WhenAll(files.Keys.Select(async key =>
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r + key)|};
            await Helpers.UseAsync(v);
        }));

    public async Task PassedToHelperThenCleanedUp(string t, string r)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await Helpers.UseAsync(v);
        }
        finally
        {
            await v.CleanupAsync();
        }
    }

    public async Task HelperThatCleansUp(string t, string r, Dictionary<string, string> files)
    {
        // Really cleaned up (the helper does it), but passing is no hand-over by default: a known false positive.
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            await Helpers.CleanupQuietlyAsync(v);
        }
    }

    public async Task LoopWithAwaitUsing(string t, string r, Dictionary<string, string> files)
    {
        foreach (var file in files)
        {
            await using var v = new IsolatedContainerVolume(t, r + file.Key);
            await v.InitializeAsync(new Dictionary<string, string> { [file.Key] = file.Value });
        }
    }

    public async Task LoopLeaksEachIteration(string t, string r, Dictionary<string, string> files)
    {
        for (var i = 0; i < files.Count; i++)
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r + i)|};
            await v.InitializeAsync(files);
        }
    }

    public async Task LoopCleansOnlyTheLast(string t, string r, Dictionary<string, string> files)
    {
        IsolatedContainerVolume? last = null;
        try
        {
            foreach (var file in files)
            {
                last = {|VG0001:new IsolatedContainerVolume(t, r + file.Key)|};
                await last.InitializeAsync(files);
            }
        }
        finally
        {
            if (last is not null)
            {
                await last.CleanupAsync();
            }
        }
    }

    public async Task LoopWithBreakInsideTry(string t, string r, Dictionary<string, string> files)
    {
        while (true)
        {
            var v = new IsolatedContainerVolume(t, r);
            try
            {
                await v.InitializeAsync(files);
                if (files.Count > 1)
                {
                    break;
                }
            }
            finally
            {
                await v.CleanupAsync();
            }
        }
    }

    public async Task ContinueBeforeCleanup(string t, string r, Dictionary<string, string> files)
    {
        foreach (var file in files)
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r + file.Key)|};
            await v.InitializeAsync(files);
            if (file.Value.Length == 0)
            {
                continue;
            }

            await v.CleanupAsync();
        }
    }

    public async Task ConditionalExpression(string t, string r, Dictionary<string, string> files, bool ok)
    {
        var v = ok ? {|VG0001:new IsolatedContainerVolume(t, r + "a")|} : {|VG0001:new IsolatedContainerVolume(t, r + "b")|};
        await v.InitializeAsync(files);
    }

    public async Task ConditionalExpressionCleaned(string t, string r, Dictionary<string, string> files, bool ok)
    {
        await using var v = ok ? new IsolatedContainerVolume(t, r + "a") : new IsolatedContainerVolume(t, r + "b");
        await v.InitializeAsync(files);
    }

    public async Task SwitchExpression(string t, string r, Dictionary<string, string> files)
    {
        var v = files.Count switch
        {
            0 => {|VG0001:new IsolatedContainerVolume(t, r + "empty")|},
            _ => {|VG0001:new IsolatedContainerVolume(t, r)|},
        };
        await v.InitializeAsync(files);
    }

    public async Task SwitchStatementCase(string t, string r, Dictionary<string, string> files)
    {
        switch (files.Count)
        {
            case 1:
                var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
                await v.InitializeAsync(files);
                Console.WriteLine(v.Name);
                break;
        }
    }

    public async Task UsedAndDropped(string t, string r, Dictionary<string, string> files) =>
        await {|VG0001:new IsolatedContainerVolume(t, r)|}.InitializeAsync(files);

    public void CreatedNeverUsed(string t, string r)
    {
        var v = new IsolatedContainerVolume(t, r);
        Console.WriteLine(v.Name);
    }

    public async Task LocalFunctionLeaks(string t, string r, Dictionary<string, string> files)
    {
        async Task PrepareAsync()
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
            await v.InitializeAsync(files);
        }

        await PrepareAsync();
    }

    public async Task LocalFunctionCleans(string t, string r, Dictionary<string, string> files)
    {
        async Task RunOneAsync()
        {
            await using var v = new IsolatedContainerVolume(t, r);
            await v.InitializeAsync(files);
        }

        await RunOneAsync();
    }

    public async Task LambdaLeaks(string t, string r, Dictionary<string, string> files)
    {
        Func<Task> work = async () =>
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
            await v.InitializeAsync(files);
        };
        await work();
    }

    public async Task CapturedAndCleanedByLambda(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        Func<Task> cleanup = () => v.CleanupAsync();
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            await cleanup();
        }
    }

    public async Task CapturedAndNeverCleaned(string t, string r, Dictionary<string, string> files)
    {
        // A real leak the rule cannot see: a lambda captures the volume (known false negative).
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        Func<string> name = () => v.Name;
        await v.InitializeAsync(files);
        Console.WriteLine(name());
    }

    public async Task CorrelatedConditions(string t, string r, Dictionary<string, string> files, bool ok)
    {
        // Cleaned up whenever it was initialized, but the rule does not correlate conditions (known false positive).
        var v = new IsolatedContainerVolume(t, r);
        if (ok)
        {
            await v.InitializeAsync(files);
        }

        try
        {
            Console.WriteLine(v.Name);
        }
        finally
        {
            if (ok)
            {
                await v.CleanupAsync();
            }
        }
    }

    public async Task FactoryResultNeverCleaned(string t, string r, Dictionary<string, string> files)
    {
        // A real leak from a factory method: only 'new' is tracked (known false negative).
        var v = {|VG0001:ReturnedExpression(t, r)|};
        await v.InitializeAsync(files);
    }

    public async Task NestedTryInnerFinallyCleans(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            try
            {
                await v.InitializeAsync(files);
            }
            finally
            {
                Console.WriteLine("inner");
            }
        }
        finally
        {
            await v.CleanupAsync();
        }
    }

    public async Task ThrowBeforeCleanup(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        if (files.Count > 10)
        {
            throw new InvalidOperationException("too many");
        }

        await v.CleanupAsync();
    }

    public async Task ThrowInsideTryWithFinally(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files);
            if (files.Count > 10)
            {
                throw new InvalidOperationException("too many");
            }
        }
        finally
        {
            await v.CleanupAsync();
        }
    }

    public async Task UsingInsideTryCatch(string t, string r, Dictionary<string, string> files)
    {
        try
        {
            await using var v = new IsolatedContainerVolume(t, r);
            await v.InitializeAsync(files);
        }
        catch (Exception e)
        {
            Console.WriteLine(e);
        }
    }

    public async Task BlockingCleanupInFinally(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            v.CleanupAsync().GetAwaiter().GetResult();
        }
    }

    public async Task UnawaitedCleanupStatement(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
#pragma warning disable CS4014
            v.CleanupAsync();
#pragma warning restore CS4014
        }
    }

    public async Task ReadBackThenCleanup(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync([]);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/outputs", false)));
            var text = await v.ReadFilesAsync(["out.txt"]);
            Console.WriteLine(text.Count);
        }
        finally
        {
            await v.CleanupAsync();
        }
    }

    public async Task ReadBackOutsideTry(string t, string r)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync([]);
        var bytes = await v.ReadFileBytesAsync("out.bin");
        Console.WriteLine(bytes.Length);
        await v.CleanupAsync();
    }

    public async Task AliasCleaned(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        var alias = v;
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            await alias.CleanupAsync();
        }
    }

    public async Task ReassignedBeforeCleanup(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        v = new IsolatedContainerVolume(t, r + "2");
        await using (v)
        {
            await v.InitializeAsync(files);
        }
    }

    public async Task OwnershipToHolderThenDisposed(string t, string r, Dictionary<string, string> files)
    {
        await using var holder = new Holder { Volume = new IsolatedContainerVolume(t, r) };
        await holder.Volume.InitializeAsync(files);
    }

    public async Task GotoOverCleanup(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        if (files.Count == 0)
        {
            goto done;
        }

        await v.CleanupAsync();
    done:
        Console.WriteLine("done");
    }

    public async Task CancellationBetween(string t, string r, Dictionary<string, string> files, CancellationToken ct)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files, ct);
        ct.ThrowIfCancellationRequested();
        try
        {
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")), ct);
        }
        finally
        {
            await v.CleanupAsync(CancellationToken.None);
        }
    }

    public async IAsyncEnumerable<IsolatedContainerVolume> YieldedVolumes(string t, string r)
    {
        var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync([]);
        yield return v;
    }

    public async Task ExceptionFilterCleans(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        try
        {
            await v.InitializeAsync(files);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
        }
        catch (Exception e) when (e is TimeoutException)
        {
            await v.CleanupAsync();
            throw;
        }

        await v.CleanupAsync();
    }

    public async Task TaskRunBody(string t, string r, Dictionary<string, string> files) =>
        await Task.Run(async () =>
        {
            await using var v = new IsolatedContainerVolume(t, r);
            await v.InitializeAsync(files);
        });

    public async Task TaskRunBodyLeaks(string t, string r, Dictionary<string, string> files) =>
        await Task.Run(async () =>
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
            await v.InitializeAsync(files);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
            await v.CleanupAsync();
        });

    public async Task CleanupInBothBranches(string t, string r, Dictionary<string, string> files, bool ok)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files);
        }
        finally
        {
            if (ok)
            {
                await v.CleanupAsync();
            }
            else
            {
                await v.DisposeAsync();
            }
        }
    }
}

public class InheritedRunner : Cleanup
{
    public InheritedRunner(ContainerToolRunner runner)
        : base(runner)
    {
    }

    public async Task DerivedLeaks(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        await Helpers.UseAsync(v);
    }

    public async Task DerivedCleans(string t, string r, Dictionary<string, string> files)
    {
        await using var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(files);
    }
}

/// <summary>Everyday shapes added in the third round: switch sections, ConfigureAwait, retries, producers, records, pattern disposal.</summary>
public class EverydayCleanup(ContainerToolRunner runner)
{
    public async Task UsingDeclarationInSwitchSection(string t, string r, string kind, Dictionary<string, string> files)
    {
        switch (kind)
        {
            case "dns":
            {
                await using var v = new IsolatedContainerVolume(t, r);
                await v.InitializeAsync(files);
                await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
                break;
            }

            default:
                Console.WriteLine("unknown tool");
                break;
        }
    }

    public async Task SwitchSectionLeaks(string t, string r, string kind, Dictionary<string, string> files)
    {
        switch (kind)
        {
            case "dns":
                var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
                await v.InitializeAsync(files);
                await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
                await v.CleanupAsync();
                break;
        }
    }

    public async Task ConfigureAwaitEveryCallInALoop(string t, IEnumerable<string> runs, Dictionary<string, string> files, CancellationToken ct)
    {
        foreach (var r in runs)
        {
            var v = new IsolatedContainerVolume(t, r);
            await using var _ = v.ConfigureAwait(false);
            await v.InitializeAsync(files, ct).ConfigureAwait(false);
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")), ct).ConfigureAwait(false);
        }
    }

    public async Task ConfigureAwaitStatementRightAfterInitialize(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(files).ConfigureAwait(false); // a failed initialize removes what it created: nothing before the using can leak
        await using (v.ConfigureAwait(false))
        {
            await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs"))).ConfigureAwait(false);
        }
    }

    public async Task TargetTypedNewLeaks(string t, string r, Dictionary<string, string> files)
    {
        IsolatedContainerVolume v = {|VG0001:new(t, r)|};
        await v.InitializeAsync(files);
    }

    public async Task TargetTypedNewAwaitUsing(string t, string r, Dictionary<string, string> files)
    {
        await using IsolatedContainerVolume v = new(t, r);
        await v.InitializeAsync(files);
    }

    public async Task RetryLoopCleansOnlyOnSuccess(string t, string r, Dictionary<string, string> files)
    {
        for (var attempt = 1; ; attempt++)
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r + attempt)|};
            try
            {
                await v.InitializeAsync(files);
                await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
                await v.CleanupAsync();
                return;
            }
            catch (EngineUnavailableException) when (attempt < 3)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    public async Task RetryLoopWithAwaitUsing(string t, string r, Dictionary<string, string> files)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var v = new IsolatedContainerVolume(t, r + attempt);
                await v.InitializeAsync(files);
                await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
                return;
            }
            catch (VolumeGenException e) when (e.IsTransient && attempt < 3)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    public async IAsyncEnumerable<string> ProducerWithAwaitUsing(string t, string r)
    {
        await using var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync([]);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/outputs", false)));
        foreach (var line in (await v.ReadFilesAsync(["hosts.txt"]))["hosts.txt"].Split('\n'))
        {
            yield return line;
        }
    }

    public async IAsyncEnumerable<string> ProducerCleansAfterTheLastYield(string t, string r)
    {
        // A consumer that stops early (break, FirstAsync) disposes the enumerator: the cleanup after the loop never runs.
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync([]);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/outputs", false)));
        foreach (var line in (await v.ReadFilesAsync(["hosts.txt"]))["hosts.txt"].Split('\n'))
        {
            yield return line;
        }

        await v.CleanupAsync();
    }

    public async Task ConsumerVolumePerItem(string t, IAsyncEnumerable<Dictionary<string, string>> batches)
    {
        var i = 0;
        await foreach (var batch in batches.ConfigureAwait(false))
        {
            await using var v = new IsolatedContainerVolume(t, $"batch-{i++}");
            await v.InitializeAsync(batch).ConfigureAwait(false);
        }
    }

    public async Task RecordOwnsBothVolumes(string t, string r, Dictionary<string, string> files)
    {
        await using var run = new RunVolumes(new IsolatedContainerVolume(t, r), new IsolatedContainerVolume(t, r + "-out"));
        await run.Inputs.InitializeAsync(files);
        await run.Outputs.InitializeAsync([]);
    }

    public async Task RecordNeverDisposed(string t, string r, Dictionary<string, string> files)
    {
        var run = new RunVolumes({|VG0001:new IsolatedContainerVolume(t, r)|}, {|VG0001:new IsolatedContainerVolume(t, r + "-out")|});
        await run.Inputs.InitializeAsync(files);
        await run.Outputs.InitializeAsync([]);
    }

    public async Task PatternBasedScope(string t, string r, Dictionary<string, string> files)
    {
        var v = new IsolatedContainerVolume(t, r);
        await using var scope = new VolumeScope(v);
        await v.InitializeAsync(files);
    }

    public async ValueTask ValueTaskMethodLeaks(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
    }

    public async ValueTask ValueTaskMethodAwaitUsing(string t, string r, Dictionary<string, string> files)
    {
        await using var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(files);
    }

    public async Task LocalFactoryFunction(string t, string r, Dictionary<string, string> files)
    {
        await using var v = Make();
        await v.InitializeAsync(files);

        IsolatedContainerVolume Make() => new(t, r);
    }

    public async Task StaticLocalFunctionLeaks(string t, string r, Dictionary<string, string> files)
    {
        await Go(t, r, files);

        static async Task Go(string t, string r, Dictionary<string, string> files)
        {
            var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
            await v.InitializeAsync(files);
        }
    }

    public async Task TwoVolumesCleanedTogether(string t, string r, Dictionary<string, string> files)
    {
        var inputs = new IsolatedContainerVolume(t, r);
        var outputs = new IsolatedContainerVolume(t, r + "-out");
        try
        {
            await inputs.InitializeAsync(files);
            await outputs.InitializeAsync([]);
        }
        finally
        {
            await Task.WhenAll(inputs.CleanupAsync(), outputs.CleanupAsync());
        }
    }

    public async Task NullCoalescedCleanupInFinally(string t, string r, Dictionary<string, string> files, bool wanted)
    {
        IsolatedContainerVolume? v = null;
        try
        {
            if (wanted)
            {
                v = new IsolatedContainerVolume(t, r);
                await v.InitializeAsync(files);
            }
        }
        finally
        {
            await (v?.CleanupAsync() ?? Task.CompletedTask);
        }
    }

    public async Task InsideAGate(string t, string r, Dictionary<string, string> files, SemaphoreSlim gate)
    {
        await gate.WaitAsync();
        try
        {
            await using var v = new IsolatedContainerVolume(t, r);
            await v.InitializeAsync(files);
        }
        finally
        {
            gate.Release();
        }
    }

    public async void AsyncVoidHandlerLeaks(string t, string r, Dictionary<string, string> files)
    {
        var v = {|VG0001:new IsolatedContainerVolume(t, r)|};
        await v.InitializeAsync(files);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")));
    }

    public async Task UsingDeclarationsForTokenAndVolume(string t, string r, Dictionary<string, string> files)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(files, timeout.Token).ConfigureAwait(false);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs")), timeout.Token).ConfigureAwait(false);
    }
}

/// <summary>A record that owns a run's two volumes.</summary>
public sealed record RunVolumes(IsolatedContainerVolume Inputs, IsolatedContainerVolume Outputs) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Inputs.CleanupAsync();
        await Outputs.CleanupAsync();
    }
}

/// <summary>Pattern-based async disposal: a DisposeAsync method, no interface.</summary>
public readonly struct VolumeScope(IsolatedContainerVolume volume)
{
    public async ValueTask DisposeAsync() => await volume.CleanupAsync();
}
