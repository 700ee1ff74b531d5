// VG0003 ground truth: the VG0003 markup marks a file name or mount target that the runtime refuses
// (or that would collide with another mount of the same spec); unmarked ones are fine or unknown
// until run time.
namespace Corpus;

public class Paths
{
    private const string Escape = "../" + "x.txt";
    private const string Sub = "sub/" + "x.txt";

    public Task TraversalKey(IsolatedContainerVolume v) => v.InitializeAsync(new Dictionary<string, string> { [{|VG0003:"../domains.txt"|}] = "a" });

    public Task AbsoluteKey(IsolatedContainerVolume v) => v.InitializeAsync(new Dictionary<string, byte[]> { { {|VG0003:"/etc/passwd"|}, [] } });

    public Task SubfolderKey(IsolatedContainerVolume v) => v.InitializeAsync(new Dictionary<string, string> { ["lists/domains.txt"] = "a" });

    public Task ConstantTraversal(IsolatedContainerVolume v) => v.ReadFileBytesAsync({|VG0003:Escape|});

    public Task ConstantSub(IsolatedContainerVolume v) => v.ReadFileBytesAsync(Sub);

    public Task EmptySegment(IsolatedContainerVolume v) => v.ReadFilesAsync(["ok.txt", {|VG0003:"a//b.txt"|}]);

    public Task TrailingSlash(IsolatedContainerVolume v) => v.ReadFilesAsync(new[] { {|VG0003:"dir/"|} });

    public Task Backslash(IsolatedContainerVolume v) => v.CopyFileToAsync({|VG0003:"a\\b"|}, Stream.Null);

    public Task DotSegment(IsolatedContainerVolume v) => v.InitializeAsync([VolumeFile.FromText({|VG0003:"./x"|}, "a")]);

    public Task Nul(IsolatedContainerVolume v, Stream s) => v.InitializeAsync([VolumeFile.FromStream({|VG0003:"x\0y"|}, s)]);

    public Task Bidi(IsolatedContainerVolume v) => v.ReadFileBytesAsync({|VG0003:"report\u202Etxt.exe"|});

    public Task ZeroWidth(IsolatedContainerVolume v) => v.ReadFileBytesAsync({|VG0003:"in\u200Bput.txt"|});

    public Task TooManyBytes(IsolatedContainerVolume v) => v.ReadFileBytesAsync({|VG0003:"名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名"|});

    public Task AccentsAreFine(IsolatedContainerVolume v) => v.ReadFileBytesAsync("données/résultat.json");

    public Task DotsInsideNamesAreFine(IsolatedContainerVolume v) => v.ReadFilesAsync([".hidden", "file..txt"]);

    public Task InterpolatedTraversal(IsolatedContainerVolume v, string dir) => v.ReadFileBytesAsync({|VG0003:$"{dir}/../x"|});

    public Task InterpolatedAbsolute(IsolatedContainerVolume v, string name) => v.ReadFileBytesAsync({|VG0003:$"/etc/{name}"|});

    public Task InterpolatedFine(IsolatedContainerVolume v, string name) => v.ReadFileBytesAsync($"reports/{name}.json");

    public Task InterpolatedHoleIsTraversal(IsolatedContainerVolume v, string name)
    {
        // The hole holds ".." at run time: only the runtime can see it (it refuses the name then).
        var up = "..";
        return v.ReadFileBytesAsync({|VG0003:$"{up}/{name}"|});
    }

    public async Task DictionaryBuiltBefore(IsolatedContainerVolume v)
    {
        var files = new Dictionary<string, string> { ["ok.txt"] = "a" };
        files[{|VG0003:"/etc/x"|}] = "y";
        files.Add({|VG0003:"../z"|}, "z");
        await v.InitializeAsync(files);
    }

    public async Task ListBuiltBefore(IsolatedContainerVolume v)
    {
        var names = new List<string> { "fine.txt" };
        names.Add({|VG0003:"../n"|});
        await v.ReadFilesAsync(names);
    }

    public async Task NamesFromAHelper(IsolatedContainerVolume v)
    {
        // Built by another method: not visible here (known false negative).
        var files = Bad();
        await v.InitializeAsync(files);
        static Dictionary<string, string> Bad() => new() { [{|VG0003:"../x"|}] = "x" };
    }
    public Task RawStringTraversal(IsolatedContainerVolume v) => v.InitializeAsync(new Dictionary<string, string> { [{|VG0003:"""../../etc/cron.d/x"""|}] = "a" });

    public Task FolderReadWithTraversal(IsolatedContainerVolume v) => v.ReadDirectoryAsync({|VG0003:"reports/../.."|});

    public Task NameChosenBySwitchExpression(IsolatedContainerVolume v, string kind) =>
        v.ReadFileBytesAsync(kind switch { "json" => "out.json", _ => {|VG0003:"/etc/shadow"|} });


    public VolumeMount RelativeTarget(IsolatedContainerVolume v) => v.GetVolumeConfig({|VG0003:"inputs"|});

    public VolumeMount TmpTarget(IsolatedContainerVolume v) => v.GetVolumeConfig({|VG0003:"/tmp"|});

    public VolumeMount ProcTarget(IsolatedContainerVolume v) => new(v.Name, {|VG0003:"/proc/self"|}, true);

    public VolumeMount FineTarget(IsolatedContainerVolume v) => v.GetVolumeConfig("/inputs/");

    public ToolRunSpec NestedMounts(IsolatedContainerVolume a, IsolatedContainerVolume b) =>
        new("tool:1") { Mounts = [a.GetVolumeConfig("/data"), b.GetVolumeConfig({|VG0003:"/data/sub"|}, false)] };

    public ToolRunSpec SameMountTwice(IsolatedContainerVolume a, IsolatedContainerVolume b) =>
        new("tool:1") { Mounts = [a.GetVolumeConfig("/work"), new VolumeMount(b.Name, {|VG0003:"/work/"|}, false)] };

    public ToolRunSpec SiblingMounts(IsolatedContainerVolume a, IsolatedContainerVolume b) =>
        new("tool:1") { Mounts = [a.GetVolumeConfig("/data"), b.GetVolumeConfig("/data2", false)] };
}
