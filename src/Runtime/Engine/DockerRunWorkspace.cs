namespace VolumeGen.Engine;

/// <summary>
/// One run's input volume (mounted read-only; its own, or an earlier pipeline step's output volume,
/// borrowed) and output volume (read-write), either of which may be absent.
/// </summary>
internal sealed class DockerRunWorkspace(
    DockerToolRun toolRun, DockerApi api, ToolImage image, DockerVolume? inputs, bool ownsInputs, DockerVolume? outputs,
    string inputMount, string outputMount, BackgroundVolumeCleanup? backgroundCleanup) : IToolRunWorkspace
{
    /// <summary>
    /// Both volumes through one helper (which then reads the outputs): half the helper containers and,
    /// on Docker, one upload per run. A borrowed input volume is ready already; a lone volume is
    /// initialized on its own.
    /// </summary>
    public Task InitializeAsync(IReadOnlyList<VolumeFile>? files, CancellationToken cancellationToken) =>
        (ownsInputs ? inputs : null, outputs) switch
        {
            ({ } input, { } output) => input.InitializeWithOutputsAsync(files!, output, cancellationToken),
            ({ } input, null) => input.InitializeAsync(files!, cancellationToken),
            (null, { } output) => output.InitializeAsync([], cancellationToken),
            (null, null) => Task.CompletedTask,
        };

    /// <summary>
    /// This step's kept output volume, for a later step whose tool runs as <paramref name="user"/>:
    /// the files are the earlier tool's, readable by its user only (every capability is dropped).
    /// </summary>
    public DockerVolume KeptOutputs(ToolUser user)
    {
        var kept = outputs is { IsInitialized: true } volume ? volume : throw new InvalidOperationException("That step kept no output folder (it had none, or the pipeline was disposed).");
        return kept.Owner == user ? kept : throw new MountRefusedException(kept.Name, "the step's input folder",
            $"the earlier step's outputs belong to {kept.Owner}, but this step's tool runs as {user}: with every capability dropped it could not read them. " +
            "Give both tools the same User");
    }

    public ToolUser Owner => image.User;

    public Task<ToolRunResult> RunAsync(ToolRunSpec tool, CancellationToken cancellationToken)
    {
        List<VolumeMount> mounts = [];
        var instances = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (volume, target, readOnly) in new[] { (inputs, inputMount, true), (outputs, outputMount, false) })
        {
            if (volume is not null)
            {
                mounts.Add(volume.GetVolumeConfig(target, readOnly));
                instances[volume.Name] = volume.Instance;
            }
        }

        // This run's own volumes, created for this tenant and owned by the image's user a moment ago:
        // not inspected again before the create, only checked unchanged after it.
        return toolRun.RunAsync(api, tool with { Mounts = mounts }, image, instances, cancellationToken);
    }

    /// <summary>Every output in one archive request of the output volume.</summary>
    public Task<IReadOnlyDictionary<ToolOutput, object?>> StageOutAsync(IReadOnlyList<ToolOutput> requested, Func<StreamOutputFile, Stream?> destinationOf, CancellationToken cancellationToken) =>
        outputs is null
            ? Task.FromResult<IReadOnlyDictionary<ToolOutput, object?>>(new Dictionary<ToolOutput, object?>())
            : outputs.ReadOutputsAsync(requested, destinationOf, cancellationToken);

    /// <summary>
    /// Removes both volumes now, or hands them to the background cleanup when the options name one
    /// (then the run returns without waiting, and a removal failure is logged, not attached).
    /// </summary>
    public Task ReleaseAsync(Exception? runFailure, bool keepOutputs = false)
    {
        // A failed run's helper holds both volumes: whichever removal comes second finds it being
        // removed by the other, and DockerApi.RemoveContainerAsync retries that conflict.
        var owned = new[] { ownsInputs ? inputs : null, keepOutputs ? null : outputs };
        return backgroundCleanup is { } background ? background.EnqueueAsync(owned) : RunCleanup.RemoveAsync(runFailure, owned);
    }
}
