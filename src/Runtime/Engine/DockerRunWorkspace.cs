namespace VolumeGen.Engine;

/// <summary>One run's input volume (mounted read-only) and output volume (read-write), either of which may be absent.</summary>
internal sealed class DockerRunWorkspace(
    ContainerToolRunner runner, IsolatedContainerVolume? inputs, IsolatedContainerVolume? outputs, string inputMount, string outputMount,
    BackgroundVolumeCleanup? backgroundCleanup) : IToolRunWorkspace
{
    /// <summary>Both volumes at once: the run waits for the slower of the two, not their sum.</summary>
    public Task InitializeAsync(IReadOnlyList<VolumeFile>? files, CancellationToken cancellationToken) =>
        Task.WhenAll(
            inputs?.InitializeAsync(files!, cancellationToken) ?? Task.CompletedTask,
            outputs?.InitializeAsync([], cancellationToken) ?? Task.CompletedTask);

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
    public Task ReleaseAsync(Exception? runFailure) => backgroundCleanup is { } background
        ? background.EnqueueAsync(inputs, outputs)
        : VolumeCleanup.CleanupAsync(runFailure, inputs, outputs);
}
