namespace VolumeGen.Engine;

/// <summary>
/// One run's input volume (mounted read-only; its own, or an earlier pipeline step's output volume,
/// borrowed) and output volume (read-write), either of which may be absent.
/// </summary>
internal sealed class DockerRunWorkspace(
    ContainerToolRunner runner, IsolatedContainerVolume? inputs, bool ownsInputs, IsolatedContainerVolume? outputs, string inputMount, string outputMount,
    BackgroundVolumeCleanup? backgroundCleanup) : IToolRunWorkspace
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
    public IsolatedContainerVolume KeptOutputs(ToolUser user)
    {
        var kept = outputs is { IsInitialized: true } volume ? volume : throw new InvalidOperationException("That step kept no output folder (it had none, or the pipeline was disposed).");
        return kept.Owner == user ? kept : throw new MountRefusedException(kept.Name, "the step's input folder",
            $"the earlier step's outputs belong to {kept.Owner}, but this step's tool runs as {user}: with every capability dropped it could not read them. " +
            "Give both tools the same User");
    }

    public Task<ToolRunResult> RunAsync(ToolRunSpec tool, CancellationToken cancellationToken)
    {
        List<VolumeMount> mounts = [];
        if (inputs is not null)
        {
            mounts.Add(inputs.GetVolumeConfig(inputMount, readOnly: true));
        }

        if (outputs is not null)
        {
            mounts.Add(outputs.GetVolumeConfig(outputMount, readOnly: false));
        }

        // The image was found (and pulled, as the policy said) when this run's user was resolved: once per run.
        return runner.RunAsync(tool with { Mounts = mounts, PullPolicy = ImagePullPolicy.Never }, cancellationToken);
    }

    /// <summary>Every output in one archive request of the output volume.</summary>
    public Task<StagedOutputs> StageOutAsync(IReadOnlyList<ToolOutputFile> files, IReadOnlyList<ToolOutputDirectory> directories, CancellationToken cancellationToken) =>
        outputs is null
            ? Task.FromResult(new StagedOutputs(new Dictionary<string, (ToolOutputKind, object?)>(), new Dictionary<string, (ToolOutputKind, object?)>()))
            : outputs.ReadOutputsAsync(files, directories, cancellationToken);

    /// <summary>
    /// Removes both volumes now, or hands them to the background cleanup when the options name one
    /// (then the run returns without waiting, and a removal failure is logged, not attached).
    /// </summary>
    public Task ReleaseAsync(Exception? runFailure, bool keepOutputs = false)
    {
        // A failed run's helper holds both volumes: whichever removal comes second finds it being
        // removed by the other, and DockerApi.RemoveContainerAsync retries that conflict.
        var owned = new[] { ownsInputs ? inputs : null, keepOutputs ? null : outputs };
        return backgroundCleanup is { } background ? background.EnqueueAsync(owned) : VolumeCleanup.CleanupAsync(runFailure, owned);
    }
}
