namespace VolumeGen.Engine;

/// <summary>
/// One run's input volume (mounted read-only; its own, or an earlier pipeline step's output volume,
/// borrowed) and output volume (read-write), either of which may be absent.
/// </summary>
internal sealed class DockerRunWorkspace(
    ContainerToolRunner runner, IsolatedContainerVolume? inputs, bool ownsInputs, IsolatedContainerVolume? outputs, string inputMount, string outputMount,
    BackgroundVolumeCleanup? backgroundCleanup) : IToolRunWorkspace
{
    /// <summary>Both volumes at once (the run waits for the slower of the two, not their sum); a borrowed input volume is ready already.</summary>
    public Task InitializeAsync(IReadOnlyList<VolumeFile>? files, CancellationToken cancellationToken) =>
        Task.WhenAll(
            ownsInputs ? inputs?.InitializeAsync(files!, cancellationToken) ?? Task.CompletedTask : Task.CompletedTask,
            outputs?.InitializeAsync([], cancellationToken) ?? Task.CompletedTask);

    /// <summary>
    /// This step's kept output volume, for a later step whose tool runs as <paramref name="user"/>:
    /// the files are the earlier tool's, readable by its user only (every capability is dropped).
    /// </summary>
    public IsolatedContainerVolume KeptOutputs(ToolUser user)
    {
        var kept = outputs is { IsInitialized: true } volume ? volume : throw new InvalidOperationException("That step kept no output folder (it had none, or the pipeline was disposed).");
        return kept.Owner == user ? kept : throw new VolumeGenException(
            $"The earlier step's outputs belong to {kept.Owner}, but this step's tool runs as {user}: with every capability dropped it could not read them. " +
            "Give both tools the same User.");
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

        return runner.RunAsync(tool with { Mounts = mounts }, cancellationToken);
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
        var owned = new[] { ownsInputs ? inputs : null, keepOutputs ? null : outputs };
        return backgroundCleanup is { } background ? background.EnqueueAsync(owned) : VolumeCleanup.CleanupAsync(runFailure, owned);
    }
}
