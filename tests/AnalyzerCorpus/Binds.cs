// VG0004 ground truth: the VG0004 markup marks a mount source that is a path on the worker's own
// filesystem (broken under Docker-in-Docker); unmarked sources are volume names, the Docker socket,
// or values of unknown origin.
namespace Corpus;

public class Binds
{
    public VolumeMount TempPath() => new({|VG0004:Path.GetTempPath()|}, "/inputs", true);

    public VolumeMount AbsoluteLiteral() => new({|VG0004:"/srv/worker/input"|}, "/inputs", true);

    public VolumeMount CombinedTemp()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dnsx");
        return new({|VG0004:dir|}, "/inputs", true);
    }

    public VolumeMount TempSubdirectory() => new({|VG0004:Directory.CreateTempSubdirectory("x").FullName|}, "/inputs", true);

    public VolumeMount CurrentDirectory() => new({|VG0004:Path.Combine(Environment.CurrentDirectory, "in")|}, "/inputs", true);

    public VolumeMount FullPathOfRelative() => new({|VG0004:Path.GetFullPath("in")|}, "/inputs", true);

    public VolumeMount DirectoryInfoFullName() => new({|VG0004:new DirectoryInfo("in").FullName|}, "/inputs", true);

    public VolumeMount BaseDirectory() => new({|VG0004:AppContext.BaseDirectory|}, "/app", true);

    public VolumeMount ReassignedLater()
    {
        var source = "named";
        source = Path.GetTempPath();
        return new({|VG0004:source|}, "/inputs", true);
    }
    public VolumeMount JoinedTemp() => new({|VG0004:Path.Join(Path.GetTempPath(), "scan")|}, "/inputs", true);

    public VolumeMount UserProfileFolder() =>
        new({|VG0004:Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "scans")|}, "/inputs", true);

    public VolumeMount TempFilesFolder() => new({|VG0004:Path.GetDirectoryName(Path.GetTempFileName())|}!, "/inputs", true);


    public VolumeMount VolumeName(IsolatedContainerVolume v) => new(v.Name, "/inputs", true);

    public VolumeMount NamedLiteral() => new("tenant-acme-run-1", "/inputs", true);

    public VolumeMount RelativeCombine() => new(Path.Combine("volumes", "acme"), "/inputs", true);

    public VolumeMount UnknownParameter(string name) => new(name, "/inputs", true);

    public Mount DockerBindOfParameter(string dir) => new() { Type = "bind", Source = {|VG0004:dir|}, Target = "/inputs" };

    public Mount DockerVolumeOfParameter(string name) => new() { Type = "volume", Source = name, Target = "/inputs" };

    public Mount DockerBindOfTemp() => new() { Type = "bind", Source = {|VG0004:Path.GetTempPath()|}, Target = "/inputs" };

    public HostConfig BindsLiteral() => new() { Binds = [{|VG0004:"/var/data:/data"|}, "named:/named"] };

    public HostConfig BindsInterpolatedTemp()
    {
        var temp = Path.GetTempPath();
        return new() { Binds = new List<string> { {|VG0004:$"{temp}:/inputs:ro"|} } };
    }

    public void BindsAdded(HostConfig config)
    {
        config.Binds.Add({|VG0004:"/etc:/host-etc:ro"|});
        config.Binds.Add("named:/data");
    }

    public void BindsFromLocalList(HostConfig config)
    {
        var binds = new List<string> { "named:/data" };
        binds.Add({|VG0004:"/srv/data:/srv"|});
        config.Binds = binds;
    }

    public void FolderTheMethodWrites(HostConfig config, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "marker.txt"), "x");
        config.Binds = [{|VG0004:$"{folder}:/inputs:ro"|}];
    }

    public HostConfig DockerSocket() => new() { Binds = ["/var/run/docker.sock:/var/run/docker.sock"] };

    public HostConfig DockerSocketFromVariable(string socket) => new() { Binds = [$"{socket}:/var/run/docker.sock"] };

    public Mount PodmanSocket() => new() { Type = "bind", Source = "/run/podman/podman.sock", Target = "/run/docker.sock" };

    public HostConfig HostFolderFromConfiguration(string configuredFolder)
    {
        // A host folder that comes from configuration: nothing in the method says it is one (known false negative).
        return new() { Binds = [{|VG0004:$"{configuredFolder}:/data"|}] };
    }

    public HostConfig VolumeNameFromParameter(string volumeName) => new() { Binds = [$"{volumeName}:/data:ro"] };
}
