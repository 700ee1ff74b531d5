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
    public Task Property_reads_neither_hide_nor_need_cleanup() => VerifyAsync("""
                var input = {|VG0001:new IsolatedContainerVolume(tenant, run)|};
                Console.WriteLine(input.Name);
                await input.InitializeAsync(files);
                await input.CleanupAsync();
                Console.WriteLine(input.IsInitialized);
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
                var passed = new IsolatedContainerVolume(tenant, "r");
                await Helper(passed);
                await Helper(new IsolatedContainerVolume(tenant, "r"));
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
}
