namespace VolumeGen.Engine;

/// <summary>
/// The Docker Engine backend (Podman through its Docker API): a run's folders are two
/// <see cref="IsolatedContainerVolume"/>s, its tool a container from <see cref="ContainerToolRunner.RunAsync"/>.
/// </summary>
internal sealed class DockerToolRunBackend(ContainerToolRunner runner, IsolatedVolumeOptions? defaultVolumeOptions) : IToolRunBackend
{
    public Task<ToolUser> ResolveUserAsync(ToolRunSpec tool, CancellationToken cancellationToken) =>
        runner.ResolveUserAsync(tool, cancellationToken);

    public async Task<IToolRunWorkspace> PrepareAsync(ToolRunRequest request, ToolUser owner, IToolRunWorkspace? inputFrom, CancellationToken cancellationToken)
    {
        var tool = request.Tool;
        var volumeOptions = request.VolumeOptions ?? defaultVolumeOptions;
        var borrowed = inputFrom is null ? null : ((DockerRunWorkspace)inputFrom).KeptOutputs(owner);
        var workspace = new DockerRunWorkspace(
            runner,
            borrowed ?? (request.Inputs is null ? null : new IsolatedContainerVolume(tool.TenantId!, tool.RunId!, owner, volumeOptions)),
            ownsInputs: borrowed is null,
            request.HasOutputFolder
                ? new IsolatedContainerVolume(tool.TenantId!, tool.RunId!, owner, volumeOptions) { OutputFolders = (request.OutputDirectories ?? []).Select(d => d.Name).ToList() }
                : null,
            request.InputMount,
            request.OutputMount,
            (volumeOptions ?? IsolatedVolumeOptions.Default).BackgroundCleanup);
        try
        {
            await workspace.InitializeAsync(borrowed is null ? request.Inputs : null, cancellationToken).ConfigureAwait(false);
            return workspace;
        }
        catch (Exception e)
        {
            await workspace.ReleaseAsync(e).ConfigureAwait(false);
            throw;
        }
    }
}
