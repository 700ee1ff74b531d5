namespace VolumeGen.Integration.Tests;

/// <summary>Tool runs over the local busybox stand-in image.</summary>
internal static class Tools
{
    public static readonly ContainerToolRunner Runner = new();

    /// <summary>The owner volumes need for the stand-in tool running as <paramref name="user"/>.</summary>
    public static async Task<ToolUser> OwnerForAsync(string? user)
    {
        await DockerEngine.ClientAsync();
        return await Runner.ResolveUserAsync(new ToolRunSpec(Samples.StandInTools.BusyboxImage.Name) { User = user });
    }

    /// <summary>Runs a shell script in the stand-in tool. The script belongs to the tool, not the library.</summary>
    public static async Task<ToolRunResult> RunScriptAsync(
        string script, IReadOnlyList<VolumeMount> mounts, string? user = "65532:65532",
        TimeSpan? timeout = null, CancellationToken ct = default, Func<ToolRunSpec, ToolRunSpec>? adjust = null)
    {
        var spec = new ToolRunSpec(Samples.StandInTools.BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = [script],
            Mounts = mounts,
            User = user,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        await DockerEngine.ClientAsync(); // the stand-in image exists before any tool runs
        return await Runner.RunAsync(adjust?.Invoke(spec) ?? spec, ct);
    }
}
