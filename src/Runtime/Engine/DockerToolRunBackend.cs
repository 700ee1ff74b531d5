namespace VolumeGen.Engine;

/// <summary>
/// The Docker Engine backend (Podman through its Docker API): the tool's image and user resolved
/// once, a run's folders two <see cref="DockerVolume"/>s owned by that user, its tool a
/// container run by <see cref="DockerToolRun"/> with what was resolved and created here.
/// </summary>
internal sealed class DockerToolRunBackend(DockerToolRun toolRun, IsolatedVolumeOptions defaultVolumeOptions) : IToolRunBackend
{
    public async Task<IToolRunWorkspace> PrepareAsync(ToolRunRequest request, ToolRunSpec tool, IToolRunWorkspace? inputFrom, CancellationToken cancellationToken)
    {
        var definition = request.Definition;
        var api = await DockerConnections.GetApiAsync(toolRun.Options, cancellationToken).ConfigureAwait(false);
        // Found or pulled once per run: the container is created from this very image.
        // With the run's tenant and run: a user lookup's probe container is labeled with them.
        var image = await toolRun.ResolveImageAsync(api, tool, cancellationToken).ConfigureAwait(false);
        var owner = image.User;
        var volumeOptions = request.VolumeOptions ?? defaultVolumeOptions;
        var borrowed = inputFrom switch
        {
            null => null,
            DockerRunWorkspace earlier => earlier.KeptOutputs(owner),
            _ => throw new ArgumentException("The earlier step ran on another backend.", nameof(inputFrom)),
        };
        var workspace = new DockerRunWorkspace(
            toolRun,
            api,
            image,
            borrowed ?? (request.Inputs is null ? null : new DockerVolume(request.TenantId, request.RunId, owner, volumeOptions)),
            ownsInputs: borrowed is null,
            definition.HasOutputFolder
                ? new DockerVolume(request.TenantId, request.RunId, owner, volumeOptions) { OutputFolders = definition.Outputs!.Where(o => o.IsDirectory).Select(d => d.Name).ToList() }
                : null,
            definition.InputMount,
            definition.OutputMount,
            volumeOptions.BackgroundCleanup);
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
