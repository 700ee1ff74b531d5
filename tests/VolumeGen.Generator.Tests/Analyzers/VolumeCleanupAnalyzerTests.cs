using VolumeGen.Analyzers;
using VolumeGen.CodeFixes;

namespace VolumeGen.Generator.Tests.Analyzers;

public class VolumeCleanupAnalyzerTests
{
    private static Task VerifyAsync(string body) => Verify.AnalyzerAsync<VolumeCleanupAnalyzer>(Wrap(body));

    private static string Wrap(string body) => Verify.Usings + $$"""
        public class Worker
        {
            private readonly ContainerToolRunner runner = new();

            public async Task<ToolRunResult> RunAsync(string tenant, string run, Dictionary<string, string> files)
            {
        {{body}}
            }

            private static Task UseAsync(IsolatedContainerVolume volume) => Task.CompletedTask;
        }
        """;

    // ---- reported ----

    [Fact]
    public Task No_cleanup_at_all() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await input.InitializeAsync(files);
                return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
        """);

    [Fact]
    public Task Cleanup_only_on_the_happy_path() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await input.InitializeAsync(files);
                var result = await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                await input.CleanupAsync();
                return result;
        """);

    [Fact]
    public Task A_call_that_may_throw_between_initialize_and_cleanup() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                Console.WriteLine(input.Name);
                await input.InitializeAsync(files);
                Console.WriteLine(input.IsInitialized);
                await input.CleanupAsync();
                return null!;
        """);

    [Fact]
    public Task Cleanup_only_in_a_catch() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                try
                {
                    await input.InitializeAsync(files);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                catch (Exception)
                {
                    await input.CleanupAsync();
                    throw;
                }
        """);

    [Fact]
    public Task A_finally_that_does_not_cover_the_use() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await input.InitializeAsync(files);
                var mount = input.GetVolumeConfig("/inputs");
                try
                {
                    await Task.Delay(1);
                }
                finally
                {
                    await input.CleanupAsync();
                }

                return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
        """);

    [Fact]
    public Task A_volume_used_and_dropped_in_one_expression() => VerifyAsync("""
                await {|VG0001:new IsolatedContainerVolume(tenant, run)|}.InitializeAsync(files);
                return null!;
        """);

    [Fact]
    public Task Inside_a_loop_and_a_lambda() => VerifyAsync("""
                foreach (var file in files)
                {
                    var volume = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                    await volume.InitializeAsync(new Dictionary<string, string> { [file.Key] = file.Value });
                }

                Func<Task> work = async () =>
                {
                    var inner = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                    await inner.InitializeAsync(files);
                };
                await work();
                return null!;
        """);

    [Theory]
    [InlineData("""
                var passed = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await UseAsync(passed);
        """)]
    [InlineData("""
                await UseAsync({|VG0001:new IsolatedContainerVolume(tenant, run)|});
        """)]
    [InlineData("""
                foreach (var file in files)
                {
                    var volume = {|VG0001:new IsolatedContainerVolume(tenant, run + file.Key)|};
                    await UseAsync(volume);
                }
        """)]
    [InlineData("""
                await Task.WhenAll(files.Keys.Select(async key =>
                {
                    var volume = {|VG0001:new IsolatedContainerVolume(tenant, run + key)|};
                    await UseAsync(volume);
                }));
        """)]
    public Task Passed_to_a_helper_and_never_cleaned_up(string body) => VerifyAsync(body + """
                return null!;
        """);

    [Fact]
    public Task Two_volumes_initialized_before_one_try() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run + "-in")|};
                var output = new IsolatedContainerVolume(tenant, run + "-out");
                await input.InitializeAsync(files);
                await output.InitializeAsync(new Dictionary<string, string>()); // if this fails, input leaks
                try
                {
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                finally
                {
                    await Task.WhenAll(input.CleanupAsync(), output.CleanupAsync());
                }
        """);

    [Theory]
    [InlineData("await Task.Delay(10);")]
    [InlineData("if (files.Count > 10) return null!;")]
    [InlineData("var mount = input.GetVolumeConfig(\"/inputs\");")]
    public Task Something_between_initialize_and_the_try(string between) => VerifyAsync($$"""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await input.InitializeAsync(files);
                {{between}}
                try
                {
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                finally
                {
                    await input.CleanupAsync();
                }
        """);

    [Theory]
    [InlineData("if (files.Count > 0) await input.CleanupAsync();")]
    [InlineData("_ = input.CleanupAsync();")]
    [InlineData("_ = input.DisposeAsync();")]
    [InlineData("var pending = input.CleanupAsync();")]
    [InlineData("await Task.WhenAny(input.CleanupAsync(), Task.Delay(1000));")]
    public Task A_finally_that_does_not_always_await_the_cleanup(string cleanup) => VerifyAsync($$"""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                try
                {
                    await input.InitializeAsync(files);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                finally
                {
                    {{cleanup}}
                }
        """);

    [Theory]
    [InlineData("files.Count > 1 ? {|VG0001:new IsolatedContainerVolume(tenant, run + \"-big\")|} : {|VG0001:new IsolatedContainerVolume(tenant, run)|}")]
    [InlineData("files.Count switch { 0 => {|VG0001:new IsolatedContainerVolume(tenant, run + \"-empty\")|}, _ => {|VG0001:new IsolatedContainerVolume(tenant, run)|} }")]
    public Task Created_in_a_conditional_or_switch_expression(string creation) => VerifyAsync($$"""
                var input = {{creation}};
                await input.InitializeAsync(files);
                return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
        """);

    [Fact]
    public Task Created_again_in_a_loop_while_the_last_one_is_alive() => VerifyAsync("""
                IsolatedContainerVolume? last = null;
                try
                {
                    foreach (var file in files)
                    {
                        last = {|VG0001:new IsolatedContainerVolume(tenant, run + file.Key)|};
                        await last.InitializeAsync(new Dictionary<string, string> { [file.Key] = file.Value });
                    }
                }
                finally
                {
                    if (last is not null) await last.CleanupAsync(); // only the last one
                }

                return null!;
        """);

    [Fact]
    public Task A_catch_that_only_cleans_up_for_some_exceptions() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                try
                {
                    await input.InitializeAsync(files);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                catch (TimeoutException)
                {
                    await input.CleanupAsync();
                    throw;
                }
        """);

    [Fact]
    public Task A_leak_in_a_local_function() => VerifyAsync("""
                async Task PrepareAsync()
                {
                    var scratch = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                    await scratch.InitializeAsync(files);
                }

                await PrepareAsync();
                return null!;
        """);

    // ---- not reported ----

    [Fact]
    public Task Await_using_declaration_and_statement() => VerifyAsync("""
                await using var input = new IsolatedContainerVolume(tenant, run);
                await input.InitializeAsync(files);
                await using (var output = new IsolatedContainerVolume(tenant, run))
                {
                    await output.InitializeAsync(new Dictionary<string, string>());
                }

                return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
        """);

    [Fact]
    public Task Await_using_with_ConfigureAwait_as_CA2007_asks() => VerifyAsync("""
                var input = new IsolatedContainerVolume(tenant, run);
                await using var _ = input.ConfigureAwait(false);
                await input.InitializeAsync(files).ConfigureAwait(false);
                var output = new IsolatedContainerVolume(tenant, run);
                await using (output.ConfigureAwait(false))
                {
                    await output.InitializeAsync(new Dictionary<string, string>()).ConfigureAwait(false);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", readOnly: false)] }).ConfigureAwait(false);
                }
        """);

    /// <summary>A record owning a run's volumes, a pattern-based scope, and a plain class that only uses a volume.</summary>
    private const string Holders = """

        public sealed record RunVolumes(IsolatedContainerVolume Inputs, IsolatedContainerVolume Outputs) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync() { await Inputs.CleanupAsync(); await Outputs.CleanupAsync(); }
        }

        public readonly struct VolumeScope(IsolatedContainerVolume volume)
        {
            public async ValueTask DisposeAsync() => await volume.CleanupAsync();
        }

        public sealed class Report(IsolatedContainerVolume volume)
        {
            public string Name => volume.Name;
        }
        """;

    [Fact]
    public Task A_disposable_built_around_the_volume_carries_it_and_disposing_it_cleans_up() => Verify.AnalyzerAsync<VolumeCleanupAnalyzer>(Wrap("""
                await using var volumes = new RunVolumes(new IsolatedContainerVolume(tenant, run), new IsolatedContainerVolume(tenant, run + "-out"));
                await volumes.Inputs.InitializeAsync(files);
                var output = new IsolatedContainerVolume(tenant, run + "-scratch");
                await using var scope = new VolumeScope(output);
                await output.InitializeAsync(new Dictionary<string, string>());
                var kept = new IsolatedContainerVolume(tenant, run + "-kept");
                var holder = new RunVolumes(kept, kept);
                try
                {
                    await kept.InitializeAsync(files);
                }
                finally
                {
                    await holder.DisposeAsync();
                }

                return null!;
        """) + Holders);

    [Fact]
    public Task A_disposable_holder_never_disposed_leaks_its_volumes_and_a_plain_object_never_owns_one() => Verify.AnalyzerAsync<VolumeCleanupAnalyzer>(Wrap("""
                var volumes = new RunVolumes({|VG0001:new IsolatedContainerVolume(tenant, run)|}, {|VG0001:new IsolatedContainerVolume(tenant, run + "-out")|});
                await volumes.Inputs.InitializeAsync(files);
                var used = {|VG0001:new IsolatedContainerVolume(tenant, run + "-used")|};
                var report = new Report(used);
                await used.InitializeAsync(files);
                return null!;
        """) + Holders);

    [Fact]
    public Task ConfigureAwait_without_await_using_still_leaks() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                var configured = input.ConfigureAwait(false);
                await input.InitializeAsync(files);
                return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
        """);

    [Fact]
    public Task Cleanup_in_a_finally_covering_the_use() => VerifyAsync("""
                var input = new IsolatedContainerVolume(tenant, run);
                try
                {
                    await input.InitializeAsync(files);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                finally
                {
                    await input.CleanupAsync();
                }
        """);

    [Fact]
    public Task Initialize_before_the_try_is_fine_because_a_failed_initialize_cleans_itself() => VerifyAsync("""
                var input = new IsolatedContainerVolume(tenant, run);
                await input.InitializeAsync(files);
                try
                {
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                finally
                {
                    await input.DisposeAsync();
                }
        """);

    [Fact]
    public Task Task_WhenAll_in_the_finally_for_several_volumes() => VerifyAsync("""
                var input = new IsolatedContainerVolume(tenant, run + "-in");
                var output = new IsolatedContainerVolume(tenant, run + "-out");
                try
                {
                    await input.InitializeAsync(files);
                    await output.InitializeAsync(new Dictionary<string, string>());
                    return await runner.RunAsync(new ToolRunSpec("tool:1")
                    {
                        Mounts = [input.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", false)],
                    });
                }
                finally
                {
                    await Task.WhenAll(input.CleanupAsync(), output.CleanupAsync());
                }
        """);

    [Fact]
    public Task Conditional_cleanup_in_the_finally() => VerifyAsync("""
                IsolatedContainerVolume? input = null;
                try
                {
                    input = new IsolatedContainerVolume(tenant, run);
                    await input.InitializeAsync(files);
                    return null!;
                }
                finally
                {
                    await (input?.CleanupAsync() ?? Task.CompletedTask);
                }
        """);

    [Fact]
    public Task Returned_passed_to_a_helper_or_captured() => Verify.AnalyzerAsync<VolumeCleanupAnalyzer>(Verify.Usings + """
        public sealed class Owner : IAsyncDisposable
        {
            private IsolatedContainerVolume? volume;
            public IsolatedContainerVolume? Other { get; set; }

            public IsolatedContainerVolume Create(string tenant) => new IsolatedContainerVolume(tenant, "r");

            public IsolatedContainerVolume CreateLocal(string tenant)
            {
                var created = new IsolatedContainerVolume(tenant, "r");
                return created;
            }

            public async Task StoreAsync(string tenant)
            {
                volume = new IsolatedContainerVolume(tenant, "r");
                Other = new IsolatedContainerVolume(tenant, "r");
                var captured = new IsolatedContainerVolume(tenant, "r");
                Func<Task> cleanup = () => captured.CleanupAsync();
                try { await captured.InitializeAsync(new Dictionary<string, string>()); }
                finally { await cleanup(); }
            }

            private static Task Helper(IsolatedContainerVolume v) => v.CleanupAsync();

            public async ValueTask DisposeAsync()
            {
                if (volume is not null) await volume.DisposeAsync();
            }
        }
        """);

    [Fact]
    public Task Local_function_with_its_own_await_using() => VerifyAsync("""
                async Task<ToolRunResult> RunOneAsync()
                {
                    await using var input = new IsolatedContainerVolume(tenant, run);
                    await input.InitializeAsync(files);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }

                return await RunOneAsync();
        """);

    [Fact]
    public Task Cleanup_in_a_catch_that_rethrows_and_after_the_try() => VerifyAsync("""
                var input = new IsolatedContainerVolume(tenant, run);
                ToolRunResult result;
                try
                {
                    await input.InitializeAsync(files);
                    result = await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                catch
                {
                    await input.CleanupAsync();
                    throw;
                }

                await input.CleanupAsync();
                return result;
        """);

    [Theory]
    [InlineData("if (input != null) await input.CleanupAsync();")]
    [InlineData("if (input is not null) await input.CleanupAsync().ConfigureAwait(false);")]
    [InlineData("if (input is { } created) await created.DisposeAsync();")]
    [InlineData("await (input?.CleanupAsync() ?? Task.CompletedTask);")]
    [InlineData("await VolumeCleanup.CleanupAsync(null, input);")]
    [InlineData("var pending = input?.CleanupAsync(); if (pending is not null) await pending;")]
    [InlineData("input?.CleanupAsync().GetAwaiter().GetResult();")]
    public Task A_volume_created_inside_the_try_and_null_checked_in_the_finally(string cleanup) => VerifyAsync($$"""
                IsolatedContainerVolume? input = null;
                try
                {
                    input = new IsolatedContainerVolume(tenant, run);
                    await input.InitializeAsync(files);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
                finally
                {
                    {{cleanup}}
                }
        """);

    [Fact]
    public Task The_generated_pattern_with_VolumeCleanup() => VerifyAsync("""
                var inputs = new IsolatedContainerVolume(tenant, run);
                var outputs = new IsolatedContainerVolume(tenant, run);
                Exception? failure = null;
                try
                {
                    await Task.WhenAll(inputs.InitializeAsync(files), outputs.InitializeAsync(new Dictionary<string, string>())).ConfigureAwait(false);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [inputs.GetVolumeConfig("/inputs"), outputs.GetVolumeConfig("/outputs", false)] });
                }
                catch (Exception exception)
                {
                    failure = exception;
                    throw;
                }
                finally
                {
                    await VolumeCleanup.CleanupAsync(failure, inputs, outputs).ConfigureAwait(false);
                }
        """);

    [Fact]
    public Task Volumes_kept_in_a_list_and_cleaned_up_in_a_loop() => VerifyAsync("""
                var volumes = new List<IsolatedContainerVolume>();
                try
                {
                    foreach (var file in files)
                    {
                        var volume = new IsolatedContainerVolume(tenant, run + file.Key);
                        volumes.Add(volume);
                        await volume.InitializeAsync(new Dictionary<string, string> { [file.Key] = file.Value });
                    }

                    return null!;
                }
                finally
                {
                    foreach (var volume in volumes) await volume.CleanupAsync();
                }
        """);

    [Fact]
    public Task Await_using_in_a_loop_and_a_lambda() => VerifyAsync("""
                foreach (var file in files)
                {
                    await using var volume = new IsolatedContainerVolume(tenant, run + file.Key);
                    await volume.InitializeAsync(new Dictionary<string, string> { [file.Key] = file.Value });
                }

                await Task.WhenAll(files.Keys.Select(async key =>
                {
                    await using var volume = new IsolatedContainerVolume(tenant, run + key);
                    await UseAsync(volume);
                }));
                return null!;
        """);

    [Fact]
    public Task Created_but_never_initialized_holds_nothing() => VerifyAsync("""
                var input = new IsolatedContainerVolume(tenant, run);
                if (files.Count == 0)
                {
                    return null!; // nothing exists on the engine yet
                }

                await using (input)
                {
                    await input.InitializeAsync(files);
                    return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
                }
        """);

    [Fact]
    public Task Passed_to_a_helper_when_the_team_says_that_hands_it_over() => Verify.AnalyzerAsync<VolumeCleanupAnalyzer>(
        Wrap("""
                var passed = new IsolatedContainerVolume(tenant, run);
                await UseAsync(passed);
                await UseAsync(new IsolatedContainerVolume(tenant, run));
                return null!;
        """),
        "dotnet_code_quality.VG0001.dispose_ownership_transfer_at_method_call = true");

    [Fact]
    public Task Passed_to_a_helper_is_reported_when_the_option_is_false() => Verify.AnalyzerAsync<VolumeCleanupAnalyzer>(
        Wrap("""
                var passed = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await UseAsync(passed);
                return null!;
        """),
        "dotnet_code_quality.VG0001.dispose_ownership_transfer_at_method_call = false");

    [Fact]
    public Task Handed_to_a_pipeline_stage_through_a_channel() => Verify.AnalyzerAsync<VolumeCleanupAnalyzer>(Verify.Usings + """
        using System.Threading.Channels;

        public class Stage
        {
            public async Task ProduceAsync(ChannelWriter<IsolatedContainerVolume> next, string tenant, Dictionary<string, string> files)
            {
                var volume = new IsolatedContainerVolume(tenant, "r");
                await volume.InitializeAsync(files);
                await next.WriteAsync(volume); // the next stage owns and cleans it up
            }
        }
        """);

    // ---- code fix ----

    [Fact]
    public Task Fix_turns_the_declaration_into_await_using() => Verify.CodeFixAsync<VolumeCleanupAnalyzer, AwaitUsingCodeFixProvider>(
        Wrap("""
                // the input volume
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await input.InitializeAsync(files);
                return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
        """),
        Wrap("""
                // the input volume
                await using var input = new IsolatedContainerVolume(tenant, run);
                await input.InitializeAsync(files);
                return await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
        """));

    [Fact]
    public Task Fix_all_fixes_every_volume() => Verify.CodeFixAsync<VolumeCleanupAnalyzer, AwaitUsingCodeFixProvider>(
        Wrap("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                var output = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await input.InitializeAsync(files);
                await output.InitializeAsync(new Dictionary<string, string>());
                var result = await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", false)] });
                await output.ReadFilesAsync(["out.txt"]);
                return result;
        """),
        Wrap("""
                await using var input = new IsolatedContainerVolume(tenant, run);
                await using var output = new IsolatedContainerVolume(tenant, run);
                await input.InitializeAsync(files);
                await output.InitializeAsync(new Dictionary<string, string>());
                var result = await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", false)] });
                await output.ReadFilesAsync(["out.txt"]);
                return result;
        """));

    [Theory]
    [InlineData("task", """
                var task = {|VG0001:new IsolatedContainerVolume(tenant, run)|}.InitializeAsync(files);
                await task;
        """)]
    [InlineData("reassigned", """
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await input.InitializeAsync(files);
                Console.WriteLine(input.Name);
                input = new IsolatedContainerVolume(tenant, run + "-2");
        """)]
    [InlineData("case section", """
                switch (files.Count)
                {
                    case 1:
                        var single = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                        await single.InitializeAsync(files);
                        Console.WriteLine(single.Name);
                        break;
                }
        """)]
    [InlineData("aliased", """
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                await input.InitializeAsync(files);
                var alias = input;
                Console.WriteLine(alias.Name);
        """)]
    [InlineData("lock", """
                lock (files)
                {
                    var locked = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                    locked.InitializeAsync(files).Wait();
                    Console.WriteLine(locked.Name);
                }
        """)]
    [InlineData("conditional", """
                var input = files.Count > 1 ? {|VG0001:new IsolatedContainerVolume(tenant, run)|} : {|VG0001:new IsolatedContainerVolume(tenant, run + "-1")|};
                await input.InitializeAsync(files);
                Console.WriteLine(input.Name);
        """)]
    public Task Fix_is_not_offered_where_await_using_would_not_compile_or_would_dispose_a_shared_volume(string shape, string body)
    {
        Assert.NotEmpty(shape);
        var source = Wrap(body + """
                return null!;
        """);
        return Verify.CodeFixAsync<VolumeCleanupAnalyzer, AwaitUsingCodeFixProvider>(source, source);
    }

    [Fact]
    public Task Fix_is_not_offered_when_another_variable_of_the_declaration_is_returned()
    {
        // 'await using' would take both variables: the returned volume would be removed on return.
        var source = Verify.Usings + """
            public class Worker
            {
                public async Task<IsolatedContainerVolume> PrepareAsync(string tenant, string run, Dictionary<string, string> files)
                {
                    IsolatedContainerVolume scratch = {|VG0001:new(tenant, run)|}, result = new(tenant, run + "-out");
                    await scratch.InitializeAsync(files);
                    await result.InitializeAsync(files);
                    return result;
                }
            }
            """;
        return Verify.CodeFixAsync<VolumeCleanupAnalyzer, AwaitUsingCodeFixProvider>(source, source);
    }

    [Fact]
    public Task Fix_for_a_volume_passed_to_a_helper_in_a_lambda() => Verify.CodeFixAsync<VolumeCleanupAnalyzer, AwaitUsingCodeFixProvider>(
        Wrap("""
                await Task.WhenAll(files.Keys.Select(async key =>
                {
                    var volume = {|VG0001:new IsolatedContainerVolume(tenant, run + key)|};
                    await UseAsync(volume);
                }));
                return null!;
        """),
        Wrap("""
                await Task.WhenAll(files.Keys.Select(async key =>
                {
                    await using var volume = new IsolatedContainerVolume(tenant, run + key);
                    await UseAsync(volume);
                }));
                return null!;
        """));
}
