using System.Text;

namespace VolumeGen.Engine;

/// <summary>One run's input volume (mounted read-only) and output volume (read-write), either of which may be absent.</summary>
internal sealed class DockerRunWorkspace(
    ContainerToolRunner runner, IsolatedContainerVolume? inputs, IsolatedContainerVolume? outputs, string inputMount, string outputMount) : IToolRunWorkspace
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

    /// <summary>
    /// The required text outputs in one request, the others one by one; an optional output that is
    /// missing is null. Any other failure fails the run (the caller sets all outputs or none).
    /// </summary>
    public async Task<StagedOutputs> StageOutAsync(
        IReadOnlyList<ToolOutputFile> requested, IReadOnlyList<ToolOutputDirectory> directories, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, (ToolOutputKind Kind, object? Value)>(StringComparer.Ordinal);
        var folders = new Dictionary<string, (ToolOutputKind Kind, object? Value)>(StringComparer.Ordinal);
        if (outputs is null)
        {
            return new StagedOutputs(files, folders);
        }

        var texts = requested.Where(o => o.Kind == ToolOutputKind.Text && !o.Optional).Select(o => o.Name).ToList();
        if (texts.Count > 0)
        {
            foreach (var (name, text) in await outputs.ReadFilesAsync(texts, cancellationToken).ConfigureAwait(false))
            {
                files[name] = (ToolOutputKind.Text, text);
            }
        }

        foreach (var output in requested.Where(o => o.Kind != ToolOutputKind.Text || o.Optional))
        {
            if (output is { Kind: ToolOutputKind.Stream, Destination: null })
            {
                files[output.Name] = (ToolOutputKind.Stream, null); // optional and not wanted: not read
                continue;
            }

            try
            {
                files[output.Name] = output.Kind switch
                {
                    ToolOutputKind.Text => (ToolOutputKind.Text, (await outputs.ReadFilesAsync([output.Name], cancellationToken).ConfigureAwait(false))[output.Name]),
                    ToolOutputKind.Bytes => (ToolOutputKind.Bytes, await outputs.ReadFileBytesAsync(output.Name, cancellationToken).ConfigureAwait(false)),
                    _ => (ToolOutputKind.Stream, await CopyAsync(outputs, output, cancellationToken).ConfigureAwait(false)),
                };
            }
            catch (VolumeFileNotFoundException) when (output.Optional)
            {
                files[output.Name] = (output.Kind, null);
            }
        }

        foreach (var directory in directories)
        {
            try
            {
                var read = await outputs.ReadDirectoryAsync(directory.Name, cancellationToken).ConfigureAwait(false);
                folders[directory.Name] = (directory.Kind, directory.Kind == ToolOutputKind.Text
                    ? read.ToDictionary(f => f.Key, f => Encoding.UTF8.GetString(f.Value), StringComparer.Ordinal)
                    : read);
            }
            catch (VolumeFileNotFoundException) when (directory.Optional)
            {
                folders[directory.Name] = (directory.Kind, null);
            }
        }

        return new StagedOutputs(files, folders);
    }

    public Task ReleaseAsync(Exception? runFailure) => VolumeCleanup.CleanupAsync(runFailure, inputs, outputs);

    /// <summary>Streams the file into its destination; the marker that it was copied.</summary>
    private static async Task<object> CopyAsync(IsolatedContainerVolume outputs, ToolOutputFile output, CancellationToken cancellationToken)
    {
        await outputs.CopyFileToAsync(output.Name, output.Destination!, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
