namespace VolumeGen.Hosting;

/// <summary>
/// Makes the <see cref="ToolRunContext"/> of one tenant's run from the host's services: the shared
/// runner and volume options (which log through the host's logger factory). Inject it where runs start.
/// </summary>
public sealed class ToolRunContextFactory(ContainerToolRunner runner, IsolatedVolumeOptions volumeOptions)
{
    /// <summary>The context for <paramref name="tenantId"/>'s run <paramref name="runId"/>.</summary>
    public ToolRunContext Create(string tenantId, string runId) => new(tenantId, runId)
    {
        Runner = runner,
        VolumeOptions = volumeOptions,
    };
}
