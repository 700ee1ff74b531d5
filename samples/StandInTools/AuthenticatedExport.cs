namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// The multi-volume pattern written by hand with the runtime API: credentials in one volume mounted
/// read-only, an empty output volume mounted read-write, both owned by the user the tool runs as (the
/// stand-in image runs as root, so VolumeGen runs it as 65532), both removed in one finally. (A
/// generated wrapper does the same; this is what the generator saves you from writing.)
/// </summary>
public static class AuthenticatedExport
{
    /// <summary>Runs an export that authenticates with <paramref name="token"/>; returns the exported file.</summary>
    public static async Task<string> RunAsync(string tenantId, string runId, string token, IsolatedVolumeOptions? options = null, CancellationToken ct = default)
    {
        var runner = new ContainerToolRunner(options);
        var tool = new ToolRunSpec(BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = ["echo \"export signed by $(sha256sum /secrets/api/token | cut -c1-12)\" > /outputs/export.txt"],
            TenantId = tenantId,
            RunId = runId,
        };
        var owner = await runner.ResolveUserAsync(tool, ct);
        var credentials = new IsolatedContainerVolume(tenantId, runId + "-creds", owner, options);
        var output = new IsolatedContainerVolume(tenantId, runId + "-out", owner, options);
        try
        {
            await credentials.InitializeAsync(new Dictionary<string, string> { ["api/token"] = token }, ct);
            await output.InitializeAsync(new Dictionary<string, string>(), ct);
            var result = await runner.RunAsync(tool with { Mounts = [credentials.GetVolumeConfig("/secrets"), output.GetVolumeConfig("/outputs", readOnly: false)] }, ct);
            ContainerToolFailedException.ThrowIfFailed(BusyboxImage.Name, result);
            return (await output.ReadFilesAsync(["export.txt"], ct))["export.txt"];
        }
        finally
        {
            await Task.WhenAll(credentials.CleanupAsync(CancellationToken.None), output.CleanupAsync(CancellationToken.None));
        }
    }
}
