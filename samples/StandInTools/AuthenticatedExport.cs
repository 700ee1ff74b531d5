namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// The multi-volume pattern written by hand with the runtime API: credentials in one volume mounted
/// read-only, an empty output volume mounted read-write, both removed in one finally. (A generated
/// wrapper does the same; this is what the generator saves you from writing.)
/// </summary>
public static class AuthenticatedExport
{
    /// <summary>Runs an export that authenticates with <paramref name="token"/>; returns the exported file.</summary>
    public static async Task<string> RunAsync(string tenantId, string runId, string token, IsolatedVolumeOptions? options = null, CancellationToken ct = default)
    {
        var credentials = new IsolatedContainerVolume(tenantId, runId + "-creds", options);
        var output = new IsolatedContainerVolume(tenantId, runId + "-out", options);
        try
        {
            await credentials.InitializeAsync(new Dictionary<string, string> { ["api/token"] = token }, ct);
            await output.InitializeAsync(new Dictionary<string, string>(), ct);
            var result = await new ContainerToolRunner(options).RunAsync(new ToolRunSpec(BusyboxImage.Name)
            {
                Entrypoint = ["/bin/sh", "-c"],
                Command = ["echo \"export signed by $(sha256sum /secrets/api/token | cut -c1-12)\" > /outputs/export.txt"],
                User = "65532:65532",
                Mounts = [credentials.GetVolumeConfig("/secrets"), output.GetVolumeConfig("/outputs", readOnly: false)],
                TenantId = tenantId,
                RunId = runId,
            }, ct);
            ContainerToolFailedException.ThrowIfFailed(BusyboxImage.Name, result);
            return (await output.ReadFilesAsync(["export.txt"], ct))["export.txt"];
        }
        finally
        {
            await Task.WhenAll(credentials.CleanupAsync(CancellationToken.None), output.CleanupAsync(CancellationToken.None));
        }
    }
}
