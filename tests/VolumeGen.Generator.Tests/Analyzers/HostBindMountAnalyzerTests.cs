using VolumeGen.Analyzers;

namespace VolumeGen.Generator.Tests.Analyzers;

public class HostBindMountAnalyzerTests
{
    private static Task VerifyAsync(string body) => Verify.AnalyzerAsync<HostBindMountAnalyzer>(Verify.Usings + $$"""
        using Docker.DotNet.Models;

        public class Worker
        {
            public void Configure(IsolatedContainerVolume volume, string volumeName, HostConfig config, string folder, string socketPath)
            {
        {{body}}
            }
        }
        """);

    [Fact]
    public Task Temp_and_absolute_paths_as_VolumeMount_sources() => VerifyAsync("""
                var a = new VolumeMount({|VG0004:Path.GetTempPath()|}, "/inputs", true);
                var b = new VolumeMount({|VG0004:"/srv/worker/input"|}, "/inputs", true);
                var dir = Path.Combine(Path.GetTempPath(), "dnsx-input");
                var c = new VolumeMount({|VG0004:dir|}, "/inputs", true);
                var d = new VolumeMount({|VG0004:Directory.CreateTempSubdirectory("x").FullName|}, "/inputs", true);
                var e = new VolumeMount({|VG0004:Path.Combine(Environment.CurrentDirectory, "in")|}, "/inputs", true);
                var f = new VolumeMount({|VG0004:Path.GetTempFileName()|}, "/inputs/file", true);
        """);

    [Fact]
    public Task Special_folders_and_the_folder_of_a_host_path() => VerifyAsync("""
                var a = new VolumeMount({|VG0004:Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)|}, "/inputs", true);
                var b = new VolumeMount({|VG0004:Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "scans")|}, "/inputs", true);
                var d = new VolumeMount({|VG0004:Path.GetDirectoryName(Path.GetTempFileName())|}!, "/inputs", true);
                var c = new VolumeMount(Path.GetDirectoryName("volumes/acme")!, "/inputs", true);
        """);

    [Fact]
    public Task Docker_DotNet_bind_mounts_and_binds() => VerifyAsync("""
                var temp = Path.GetTempPath();
                var mount = new Mount { Type = "bind", Source = {|VG0004:temp|}, Target = "/inputs" };
                config.Binds = new List<string> { {|VG0004:$"{temp}:/inputs:ro"|}, {|VG0004:"/var/data:/data"|} };
                config.Binds = new[] { {|VG0004:AppContext.BaseDirectory + ":/app"|} };
        """);

    [Fact]
    public Task Named_volumes_are_fine() => VerifyAsync("""
                var a = volume.GetVolumeConfig("/inputs");
                var b = new VolumeMount(volume.Name, "/inputs", true);
                var c = new VolumeMount(volumeName, "/inputs", true);
                var d = new VolumeMount("tenant-acme-run-1", "/inputs", true);
                var mount = new Mount { Type = "volume", Source = volume.Name, Target = "/inputs" };
                config.Binds = new List<string> { "named-volume:/data" };
        """);

    [Fact]
    public Task Relative_paths_and_values_of_unknown_origin_are_not_reported() => VerifyAsync("""
                var a = new VolumeMount(Path.Combine("volumes", "acme"), "/inputs", true);
                var name = volume.Name;
                var b = new VolumeMount(name, "/inputs", true);
                var c = new VolumeMount($"tenant-{volumeName}", "/inputs", true);
                var mount = new Mount { Type = "volume", Source = volumeName + "-out", Target = "/outputs" };
                config.Binds = new List<string> { $"{volumeName}:/data:ro" };
        """);

    [Fact]
    public Task Sources_followed_further() => VerifyAsync("""
                var a = new VolumeMount({|VG0004:Path.GetFullPath("in")|}, "/inputs", true);
                var b = new VolumeMount({|VG0004:new DirectoryInfo("in").FullName|}, "/inputs", true);
                var c = new Mount { Type = "bind", Source = {|VG0004:volumeName|}, Target = "/inputs" };
                var later = "relative";
                later = Path.GetTempPath();
                var d = new VolumeMount({|VG0004:later|}, "/inputs", true);
        """);

    [Fact]
    public Task Binds_added_or_collected_in_a_local_list() => VerifyAsync("""
                var temp = Path.GetTempPath();
                config.Binds.Add({|VG0004:$"{temp}:/inputs"|});
                var binds = new List<string> { "named:/data" };
                binds.Add({|VG0004:"/srv/data:/data"|});
                config.Binds = binds;
                var hostConfig = new HostConfig { Binds = [{|VG0004:"/etc:/host-etc:ro"|}] };
        """);

    [Fact]
    public Task A_parameter_the_body_uses_as_a_folder_on_this_machine() => VerifyAsync("""
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, "marker.txt"), "x");
                config.Binds = [{|VG0004:$"{folder}:/inputs:ro"|}];
        """);

    [Fact]
    public Task The_Docker_socket_is_allowed() => VerifyAsync("""
                config.Binds = ["/var/run/docker.sock:/var/run/docker.sock", $"{socketPath}:/var/run/docker.sock", "/run/podman/podman.sock:/run/docker.sock:ro"];
                config.Binds.Add($"{socketPath}:/var/run/docker.sock");
                var a = new Mount { Type = "bind", Source = "/var/run/docker.sock", Target = "/var/run/docker.sock" };
                var b = new Mount { Type = "bind", Source = socketPath, Target = "/var/run/docker.sock" };
        """);
}
