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

    /// <summary>The tenant the mounted volumes belong to (their label), which the runner requires to match.</summary>
    private static async Task<string?> TenantOfAsync(IReadOnlyList<VolumeMount> mounts)
    {
        var client = await DockerEngine.ClientAsync(); // also: the stand-in image exists before any tool runs
        if (mounts.Count == 0)
        {
            return null;
        }

        try
        {
            return (await client.Volumes.InspectAsync(mounts[0].Source)).Labels![$"{DockerConnectionOptions.DefaultLabelPrefix}.tenant"];
        }
        catch (global::Docker.DotNet.DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return "gone"; // the runner's own check reports the missing volume
        }
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
            TenantId = await TenantOfAsync(mounts),
        };
        return await Runner.RunAsync(adjust?.Invoke(spec) ?? spec, ct);
    }
}
