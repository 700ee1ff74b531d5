using VolumeGen.Analyzers;

namespace VolumeGen.Generator.Tests.Analyzers;

public class UnsafeFilePathAnalyzerTests
{
    private static Task VerifyAsync(string body) => Verify.AnalyzerAsync<UnsafeFilePathAnalyzer>(Verify.Usings + $$"""
        public class Worker
        {
            private const string Escape = "../" + "x.txt";
            private const string Good = "sub/" + "x.txt";

            public async Task RunAsync(IsolatedContainerVolume volume, string dynamicName, Stream stream)
            {
        {{body}}
            }
        }
        """);

    [Fact]
    public Task Dictionary_keys_passed_to_InitializeAsync() => VerifyAsync("""
                await volume.InitializeAsync(new Dictionary<string, string> { [{|VG0003:"../domains.txt"|}] = "a", ["ok.txt"] = "b" });
                await volume.InitializeAsync(new Dictionary<string, byte[]> { { {|VG0003:"/etc/passwd"|}, new byte[0] }, { "sub/ok.bin", new byte[0] } });
        """);

    [Fact]
    public Task Names_given_to_the_read_methods() => VerifyAsync("""
                await volume.ReadFilesAsync(new[] { "ok.txt", {|VG0003:"a//b.txt"|} });
                await volume.ReadFilesAsync([{|VG0003:"dir/"|}, "fine/file.json"]);
                await volume.ReadFilesAsync(new List<string> { {|VG0003:""|} });
                await volume.ReadFileBytesAsync({|VG0003:Escape|});
                await volume.CopyFileToAsync({|VG0003:"a\\b"|}, Stream.Null);
        """);

    [Fact]
    public Task A_folder_read_back_and_every_arm_of_a_choice() => VerifyAsync("""
                await volume.ReadDirectoryAsync({|VG0003:"reports/../.."|});
                await volume.ReadDirectoryAsync("reports/daily");
                await volume.ReadFileBytesAsync(dynamicName switch { "json" => "out.json", "up" => {|VG0003:"../up.json"|}, _ => {|VG0003:"/etc/shadow"|} });
                await volume.ReadFileBytesAsync(dynamicName.Length > 3 ? "a.txt" : {|VG0003:"b//c.txt"|});
                var a = volume.GetVolumeConfig(dynamicName == "" ? {|VG0003:"/tmp"|} : "/inputs");
                await volume.CopyFileToAsync(dynamicName ?? {|VG0003:"a\b"|}, Stream.Null);
        """);

    [Fact]
    public Task VolumeFile_names_and_mount_targets() => VerifyAsync("""
                await volume.InitializeAsync([VolumeFile.FromText({|VG0003:"./x"|}, "a"), VolumeFile.FromStream({|VG0003:"x\0y"|}, stream), VolumeFile.FromBytes("ok", new byte[0])]);
                var a = volume.GetVolumeConfig({|VG0003:"inputs"|});
                var b = new VolumeMount(volume.Name, {|VG0003:"relative/target"|}, true);
                var c = volume.GetVolumeConfig({|VG0003:"/tmp"|});
                var d = new VolumeMount(volume.Name, {|VG0003:"/proc/self"|}, true);
        """);

    [Fact]
    public Task Names_that_look_like_other_names_or_exceed_the_kernels_limits() => VerifyAsync("""
                await volume.ReadFileBytesAsync({|VG0003:"report\u202Etxt.exe"|});
                await volume.ReadFileBytesAsync({|VG0003:"in\u200Bput.txt"|});
                await volume.ReadFileBytesAsync({|VG0003:"名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名"|});
        """);

    [Fact]
    public Task The_constant_skeleton_of_interpolated_names_and_targets() => VerifyAsync("""
                await volume.ReadFileBytesAsync({|VG0003:$"{dynamicName}/../x"|});
                await volume.ReadFileBytesAsync({|VG0003:$"/etc/{dynamicName}"|});
                var a = volume.GetVolumeConfig({|VG0003:$"inputs/{dynamicName}"|});
                var b = volume.GetVolumeConfig({|VG0003:$"/tmp/{dynamicName}"|});
                await volume.ReadFileBytesAsync($"{dynamicName}.json");
                await volume.ReadFileBytesAsync($"reports/{dynamicName}/summary.txt");
                var c = volume.GetVolumeConfig($"/inputs/{dynamicName}");
        """);

    [Fact]
    public Task Dictionaries_and_lists_built_before_the_call() => VerifyAsync("""
                var files = new Dictionary<string, string> { [{|VG0003:"../a"|}] = "x" };
                files[{|VG0003:"/etc/x"|}] = "y";
                files.Add({|VG0003:"a//b"|}, "z");
                files.TryAdd({|VG0003:$"{dynamicName}/.."|}, "z");
                files["ok.txt"] = "fine";
                files = files;
                await volume.InitializeAsync(files);
                var names = new List<string> { "fine.txt" };
                names.Add({|VG0003:"../n"|});
                await volume.ReadFilesAsync(names);
        """);

    [Fact]
    public Task Mounts_of_one_spec_at_the_same_or_nested_targets() => VerifyAsync("""
                var spec = new ToolRunSpec("tool:1") { Mounts = [volume.GetVolumeConfig("/data"), volume.GetVolumeConfig({|VG0003:"/data/sub"|})] };
                var same = new ToolRunSpec("tool:1") { Mounts = [new VolumeMount(volume.Name, "/work", true), volume.GetVolumeConfig({|VG0003:"/work/"|})] };
                var changed = spec with { Mounts = [volume.GetVolumeConfig("/a"), volume.GetVolumeConfig({|VG0003:"/a"|})] };
                var fine = new ToolRunSpec("tool:1") { Mounts = [volume.GetVolumeConfig("/data"), volume.GetVolumeConfig("/data2"), volume.GetVolumeConfig(dynamicName)] };
        """);

    [Fact]
    public Task Safe_names_constants_and_values_known_only_at_run_time_are_fine() => VerifyAsync("""
                await volume.InitializeAsync(new Dictionary<string, string> { ["templates/http/a.yaml"] = "a", [dynamicName] = "b", [Good] = "c" });
                await volume.ReadFilesAsync(new[] { dynamicName, ".hidden", "file..txt" });
                await volume.ReadFileBytesAsync(dynamicName);
                var a = volume.GetVolumeConfig("/inputs");
                var b = new VolumeMount(volume.Name, "/outputs/", false);
        """);

    [Fact]
    public Task Unrelated_methods_with_the_same_names_are_not_checked() => Verify.AnalyzerAsync<UnsafeFilePathAnalyzer>(Verify.Usings + """
        public class Other
        {
            public Task<byte[]> ReadFileBytesAsync(string name) => Task.FromResult(new byte[0]);
            public object GetVolumeConfig(string target) => target;

            public async Task UseAsync()
            {
                await ReadFileBytesAsync("../not-a-volume.txt");
                _ = GetVolumeConfig("relative");
                _ = File.ReadAllText("/etc/hostname");
            }
        }
        """);
}
