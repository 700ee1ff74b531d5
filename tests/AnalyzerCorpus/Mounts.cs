// VG0002 ground truth: the VG0002 markup marks a read-write mount of a volume that really holds
// inputs (filled with files, never read back); unmarked read-write mounts are outputs, scratch or
// pipeline volumes, or volumes read back.
namespace Corpus;

public class Mounts(ContainerToolRunner runner)
{
    private async Task<IsolatedContainerVolume> FilledAsync(string t) { var v = new IsolatedContainerVolume(t, "r"); await v.InitializeAsync(Helpers.Files()); return v; }

    public async Task InputFalseArgument(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/data", {|VG0002:false|})));
    }

    public async Task InputNamedArgument(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs", readOnly: {|VG0002:false|})));
    }

    public async Task InputReadOnly(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/inputs"), v.GetVolumeConfig("/again", true)));
    }

    public async Task OutputReadBack(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync([]);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/outputs", false)));
        await v.ReadFilesAsync(["out.txt"]);
    }

    public async Task OutputReadThroughConditionalAccess(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/work", false)));
        var edited = await (v?.ReadFileBytesAsync("db.sqlite") ?? Task.FromResult(Array.Empty<byte>()));
        Console.WriteLine(edited.Length);
    }

    public async Task ScratchEmpty(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(new Dictionary<string, string>());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/scratch", false)));
    }

    public async Task ScratchArrayEmpty(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Array.Empty<VolumeFile>());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/scratch", readOnly: false)));
    }

    public async Task Pipeline(string t)
    {
        await using var input = new IsolatedContainerVolume(t, "in");
        await using var stage = new IsolatedContainerVolume(t, "stage");
        await using var output = new IsolatedContainerVolume(t, "out");
        await input.InitializeAsync(Helpers.Files());
        await stage.InitializeAsync([]);
        await output.InitializeAsync([]);
        await runner.RunAsync(Helpers.Spec(input.GetVolumeConfig("/inputs"), stage.GetVolumeConfig("/outputs", false)));
        await runner.RunAsync(Helpers.Spec(stage.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", false)));
        await output.ReadFilesAsync(["report.json"]);
    }

    public async Task PipelineWithFilledStage(string t)
    {
        // The stage is filled with a seed and rewritten by the first tool, then read by the second: an input mounted read-write.
        await using var stage = new IsolatedContainerVolume(t, "stage");
        await stage.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(stage.GetVolumeConfig("/work", {|VG0002:false|})));
        await runner.RunAsync(Helpers.Spec(stage.GetVolumeConfig("/inputs")));
    }

    public async Task VolumeMountFalse(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(new VolumeMount(v.Name, "/inputs", {|VG0002:false|})));
    }

    public async Task VolumeMountNamed(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(new VolumeMount(Source: v.Name, Target: "/data", ReadOnly: {|VG0002:false|})));
    }

    public async Task VolumeMountInitializer(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(new VolumeMount(v.Name, "/data", true) { ReadOnly = {|VG0002:false|} }));
    }

    public async Task WithFalse(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/data") with { ReadOnly = {|VG0002:false|} }));
    }

    public async Task WithOnLocal(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        var mount = v.GetVolumeConfig("/data");
        await runner.RunAsync(Helpers.Spec(mount with { ReadOnly = {|VG0002:false|} }));
    }

    public async Task WithTrueOverridesFalse(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/data", false) with { ReadOnly = true }));
    }

    public async Task DockerMountDefault(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        var mount = {|VG0002:new Mount { Type = "volume", Source = v.Name, Target = "/data" }|};
        Console.WriteLine(mount.Target);
    }

    public async Task DockerMountReadOnly(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        var mount = new Mount { Type = "volume", Source = v.Name, Target = "/data", ReadOnly = true };
        Console.WriteLine(mount.Target);
    }

    public async Task BindString(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        var config = new HostConfig { Binds = [{|VG0002:$"{v.Name}:/data"|}] };
        Console.WriteLine(config.Binds.Count);
    }

    public async Task BindStringReadOnly(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        var config = new HostConfig { Binds = [$"{v.Name}:/data:ro,nocopy"] };
        Console.WriteLine(config.Binds.Count);
    }

    public async Task Alias(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        var alias = v;
        await runner.RunAsync(Helpers.Spec(alias.GetVolumeConfig("/data", {|VG0002:false|})));
    }

    public async Task ParameterAtInputPath(IsolatedContainerVolume shared) =>
        await runner.RunAsync(Helpers.Spec(shared.GetVolumeConfig("/inputs", {|VG0002:false|})));

    public async Task ParameterElsewhere(IsolatedContainerVolume shared) =>
        await runner.RunAsync(Helpers.Spec(shared.GetVolumeConfig("/outputs", false)));

    public async Task FromFactoryAtWorkPath(string t)
    {
        // Filled by a factory, never read back: an input the rule cannot see (known false negative).
        await using var v = await FilledAsync(t);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/work", {|VG0002:false|})));
    }

    public async Task PassedToReaderHelper(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/work", false)));
        await ReadAllAsync(v);
    }

    public async Task FlagDecidedAtRunTime(string t, bool writable)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/data", writable)));
    }

    public async Task ReadBackInLambda(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/work", false)));
        Func<Task> read = () => v.ReadFileBytesAsync("a.bin");
        await read();
    }

    public async Task TwoInputsOneWritable(string t)
    {
        await using var a = new IsolatedContainerVolume(t, "a");
        await using var b = new IsolatedContainerVolume(t, "b");
        await a.InitializeAsync(Helpers.Files());
        await b.InitializeAsync(Helpers.Files());
        await runner.RunAsync(Helpers.Spec(a.GetVolumeConfig("/a"), b.GetVolumeConfig("/b", {|VG0002:false|})));
    }
    public async Task InputInASpecInitializerWithConfigureAwait(string t, CancellationToken ct)
    {
        var v = new IsolatedContainerVolume(t, "r");
        await using var _ = v.ConfigureAwait(false);
        await v.InitializeAsync(Helpers.Files(), ct).ConfigureAwait(false);
        var spec = new ToolRunSpec("tool:1") { Mounts = [v.GetVolumeConfig("/inputs", readOnly: {|VG0002:false|})] };
        await runner.RunAsync(spec, ct).ConfigureAwait(false);
    }

    public async Task FolderEditedInPlaceAndReadBackWhole(string t)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync([VolumeFile.FromText("site/index.html", "<html>")]);
        await runner.RunAsync(Helpers.Spec(v.GetVolumeConfig("/site", readOnly: false)));
        var edited = await v.ReadDirectoryAsync("site");
        Console.WriteLine(edited.Count);
    }

    public async Task ModeChosenBySwitchExpression(string t, string mode)
    {
        await using var v = new IsolatedContainerVolume(t, "r");
        await v.InitializeAsync(Helpers.Files());
        var mount = mode switch
        {
            "fix" => v.GetVolumeConfig("/work", {|VG0002:false|}),
            _ => v.GetVolumeConfig("/work"),
        };
        await runner.RunAsync(Helpers.Spec(mount));
    }


    private static Task ReadAllAsync(IsolatedContainerVolume volume) => volume.ReadFilesAsync(["x"]);
}
