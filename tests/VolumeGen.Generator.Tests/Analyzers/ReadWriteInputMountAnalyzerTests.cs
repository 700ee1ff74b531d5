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
    public Task Named_argument_and_input_path_even_when_read_back() => VerifyAsync("""
                var mount = output.GetVolumeConfig("/inputs", readOnly: {|VG0002:false|});
                var again = output.GetVolumeConfig("/input/sub", {|VG0002:false|});
                await output.ReadFilesAsync(["results.json"]);
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
