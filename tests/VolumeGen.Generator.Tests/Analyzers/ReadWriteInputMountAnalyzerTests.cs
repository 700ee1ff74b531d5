using VolumeGen.Analyzers;
using VolumeGen.CodeFixes;

namespace VolumeGen.Generator.Tests.Analyzers;

public class ReadWriteInputMountAnalyzerTests
{
    private static Task VerifyAsync(string body) => Verify.AnalyzerAsync<ReadWriteInputMountAnalyzer>(Wrap(body));

    private static string Wrap(string body) => Verify.Usings + $$"""
        public class Worker
        {
            public async Task RunAsync(IsolatedContainerVolume shared, Dictionary<string, string> files, bool writable)
            {
                await using var input = new IsolatedContainerVolume("t", "r");
                await using var output = new IsolatedContainerVolume("t", "r");
                await input.InitializeAsync(files);
                await output.InitializeAsync(new Dictionary<string, string>());
        {{body}}
            }

            private static Task ReadLaterAsync(IsolatedContainerVolume volume) => volume.ReadFilesAsync(["x"]);
        }
        """;

    [Fact]
    public Task Writable_mount_of_a_volume_never_read_back() => VerifyAsync("""
                var mount = input.GetVolumeConfig("/data", {|VG0002:false|});
        """);

    [Fact]
    public Task Named_argument() => VerifyAsync("""
                var mount = input.GetVolumeConfig("/inputs", readOnly: {|VG0002:false|});
        """);

    [Fact]
    public Task A_target_name_alone_does_not_make_a_volume_seen_from_creation_an_input() => VerifyAsync("""
                var mount = output.GetVolumeConfig("/inputs", readOnly: false);
                var again = output.GetVolumeConfig("/input/sub", false);
                await output.ReadFilesAsync(["results.json"]);
        """);

    [Theory]
    [InlineData("new VolumeMount(input.Name, \"/data\", {|VG0002:false|})")]
    [InlineData("new VolumeMount(Source: input.Name, Target: \"/data\", ReadOnly: {|VG0002:false|})")]
    [InlineData("new VolumeMount(input.Name, \"/data\", true) { ReadOnly = {|VG0002:false|} }")]
    [InlineData("input.GetVolumeConfig(\"/data\") with { ReadOnly = {|VG0002:false|} }")]
    [InlineData("(files.Count > 0 ? input : output).GetVolumeConfig(\"/data\", {|VG0002:false|})")]
    [InlineData("{|VG0002:new Docker.DotNet.Models.Mount { Type = \"volume\", Source = input.Name, Target = \"/data\" }|}")]
    [InlineData("new Docker.DotNet.Models.Mount { Type = \"volume\", Source = input.Name, Target = \"/data\", ReadOnly = {|VG0002:false|} }")]
    [InlineData("{|VG0002:$\"{input.Name}:/data\"|}")]
    [InlineData("{|VG0002:$\"{input.Name}:/data:rw,nocopy\"|}")]
    public Task Every_way_to_build_a_read_write_mount_of_an_input(string mount) => VerifyAsync($$"""
                var mount = {{mount}};
        """);

    [Theory]
    [InlineData("new VolumeMount(input.Name, \"/data\", true)")]
    [InlineData("input.GetVolumeConfig(\"/data\", false) with { ReadOnly = true }")]
    [InlineData("new Docker.DotNet.Models.Mount { Type = \"volume\", Source = input.Name, Target = \"/data\", ReadOnly = true }")]
    [InlineData("$\"{input.Name}:/data:ro\"")]
    [InlineData("$\"{input.Name}:/data:ro,nocopy\"")]
    [InlineData("$\"{input.Name}-suffix\"")]
    public Task Read_only_in_every_form_is_fine(string mount) => VerifyAsync($$"""
                var mount = {{mount}};
        """);

    [Fact]
    public Task A_mount_kept_in_a_local_then_made_writable() => VerifyAsync("""
                var mount = input.GetVolumeConfig("/data");
                var readWrite = mount with { ReadOnly = {|VG0002:false|} };
        """);

    [Fact]
    public Task Through_an_alias() => VerifyAsync("""
                var alias = input;
                var mount = alias.GetVolumeConfig("/data", {|VG0002:false|});
        """);

    [Fact]
    public Task A_scratch_volume_initialized_empty_is_not_an_input() => VerifyAsync("""
                await using var scratch = new IsolatedContainerVolume("t", "r");
                await scratch.InitializeAsync(new Dictionary<string, string>());
                var mount = scratch.GetVolumeConfig("/scratch", false);
                await using var work = new IsolatedContainerVolume("t", "r");
                await work.InitializeAsync(Array.Empty<VolumeFile>());
                var other = work.GetVolumeConfig("/work", readOnly: false);
        """);

    [Fact]
    public Task A_pipeline_volume_written_by_one_tool_and_read_by_the_next_is_not_an_input() => VerifyAsync("""
                var runner = new ContainerToolRunner();
                await using var stage = new IsolatedContainerVolume("t", "r");
                await stage.InitializeAsync([]);
                await runner.RunAsync(new ToolRunSpec("extract:1") { Mounts = [input.GetVolumeConfig("/inputs"), stage.GetVolumeConfig("/outputs", false)] });
                await runner.RunAsync(new ToolRunSpec("scan:1") { Mounts = [stage.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", false)] });
                await output.ReadFilesAsync(["report.json"]);
        """);

    [Fact]
    public Task A_volume_edited_in_place_and_read_back_is_fine() => VerifyAsync("""
                var mount = input.GetVolumeConfig("/data", false);
                var edited = await input?.ReadFileBytesAsync("db.sqlite")!;
        """);

    [Fact]
    public Task A_folder_edited_in_place_and_read_back_whole_is_fine() => VerifyAsync("""
                var mount = input.GetVolumeConfig("/data", false);
                var edited = await input.ReadDirectoryAsync("site");
        """);

    [Fact]
    public Task A_parameter_mounted_at_an_input_path() => VerifyAsync("""
                var mount = shared.GetVolumeConfig("/inputs", {|VG0002:false|});
        """);

    [Fact]
    public Task Read_only_and_default_mounts_are_fine() => VerifyAsync("""
                var a = input.GetVolumeConfig("/inputs");
                var b = input.GetVolumeConfig("/inputs", true);
                var c = input.GetVolumeConfig("/inputs", readOnly: true);
        """);

    [Fact]
    public Task An_output_volume_that_is_read_back_is_fine() => VerifyAsync("""
                var mount = output.GetVolumeConfig("/outputs", readOnly: false);
                using var sink = new MemoryStream();
                await output.CopyFileToAsync("report.bin", sink);
        """);

    [Fact]
    public Task Read_back_inside_a_lambda_or_by_a_helper_is_fine() => VerifyAsync("""
                var mount = output.GetVolumeConfig("/outputs", false);
                Func<Task> read = () => output.ReadFileBytesAsync("a.bin");
                await read();
                var other = input.GetVolumeConfig("/work", false);
                await ReadLaterAsync(input);
        """);

    [Fact]
    public Task A_flag_decided_at_run_time_or_a_parameter_volume_elsewhere_is_not_reported() => VerifyAsync("""
                var a = input.GetVolumeConfig("/data", writable);
                var b = shared.GetVolumeConfig("/outputs", false);
        """);

    [Fact]
    public Task Fix_turns_a_with_or_initializer_flag_read_only() => Verify.CodeFixAsync<ReadWriteInputMountAnalyzer, ReadOnlyMountCodeFixProvider>(
        Wrap("""
                var a = input.GetVolumeConfig("/data") with { ReadOnly = {|VG0002:false|} };
                var b = new VolumeMount(input.Name, "/data", true) { ReadOnly = {|VG0002:false|} };
        """),
        Wrap("""
                var a = input.GetVolumeConfig("/data") with { ReadOnly = true };
                var b = new VolumeMount(input.Name, "/data", true) { ReadOnly = true };
        """));

    [Fact]
    public Task Fix_is_not_offered_where_there_is_no_false_to_flip()
    {
        var source = Wrap("""
                var a = {|VG0002:new Docker.DotNet.Models.Mount { Type = "volume", Source = input.Name, Target = "/data" }|};
                var b = {|VG0002:$"{input.Name}:/data"|};
        """);
        return Verify.CodeFixAsync<ReadWriteInputMountAnalyzer, ReadOnlyMountCodeFixProvider>(source, source);
    }

    [Fact]
    public Task Fix_mounts_read_only_including_fix_all() => Verify.CodeFixAsync<ReadWriteInputMountAnalyzer, ReadOnlyMountCodeFixProvider>(
        Wrap("""
                var a = input.GetVolumeConfig("/inputs", {|VG0002:false|});
                var b = input.GetVolumeConfig("/data", readOnly: {|VG0002:false|});
        """),
        Wrap("""
                var a = input.GetVolumeConfig("/inputs", true);
                var b = input.GetVolumeConfig("/data", readOnly: true);
        """));
}
