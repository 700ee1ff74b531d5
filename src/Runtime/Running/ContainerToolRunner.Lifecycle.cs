using Microsoft.Extensions.Logging;
using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>The whole tool lifecycle, for hand-written code and generated wrappers alike.</summary>
public sealed partial class ContainerToolRunner
{
    /// <summary>
    /// Runs a tool for one tenant's run, end to end: resolves the user the tool runs as, creates an
    /// input volume (the request's files, mounted read-only) and an empty output volume (mounted
    /// read-write), both owned by that user and prepared at once; runs the tool; reads every requested
    /// output back (all of them, or the run fails); removes both volumes on every path (success, tool
    /// failure, timeout, cancellation), attaching what could not be removed to the run's error under
    /// <see cref="VolumeCleanup.FailuresKey"/>. A side the request leaves null gets no volume.
    /// </summary>
    /// <exception cref="ArgumentException">The tool has no tenant or run, or brings mounts of its own.</exception>
    /// <exception cref="VolumeValidationException">A file name or mount target is unsafe, or the two mounts overlap (nothing was created).</exception>
    /// <exception cref="ContainerToolFailedException">The tool exited non-zero and <see cref="ToolRunRequest.AllowNonZeroExit"/> is off.</exception>
    /// <exception cref="VolumeFileNotFoundException">A required output is missing.</exception>
    /// <exception cref="ContainerToolTimeoutException">The tool exceeded its timeout; it was killed and removed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; everything was removed.</exception>
    public async Task<ToolRunOutcome> RunToolAsync(ToolRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tool = request.Tool;
        Validate(request);
        var owner = await ResolveUserAsync(tool, cancellationToken).ConfigureAwait(false);
        var volumeOptions = request.VolumeOptions ?? _options as IsolatedVolumeOptions;
        var inputs = request.Inputs is null ? null : new IsolatedContainerVolume(tool.TenantId!, tool.RunId!, owner, volumeOptions);
        var outputs = request.Outputs is null ? null : new IsolatedContainerVolume(tool.TenantId!, tool.RunId!, owner, volumeOptions);
        Exception? failure = null;
        try
        {
            // Both volumes at once: the run waits for the slower of the two, not their sum.
            await Task.WhenAll(
                inputs?.InitializeAsync(request.Inputs!, cancellationToken) ?? Task.CompletedTask,
                outputs?.InitializeAsync([], cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            List<VolumeMount> mounts = [];
            if (inputs is not null)
            {
                mounts.Add(inputs.GetVolumeConfig(request.InputMount, readOnly: true));
            }

            if (outputs is not null)
            {
                mounts.Add(outputs.GetVolumeConfig(request.OutputMount, readOnly: false));
            }

            var result = await RunAsync(tool with { Mounts = mounts }, cancellationToken).ConfigureAwait(false);
            request.Logger?.LogInformation(
                "Tool {Image} for tenant {Tenant}, run {Run} exited with {ExitCode} after {DurationMs} ms",
                tool.Image, tool.TenantId, tool.RunId, result.ExitCode, (long)result.Duration.TotalMilliseconds);
            if (!request.AllowNonZeroExit)
            {
                ContainerToolFailedException.ThrowIfFailed(tool.Image, result);
            }

            var files = outputs is null ? new Dictionary<string, (ToolOutputKind, object?)>() : await ReadOutputsAsync(outputs, request.Outputs!, cancellationToken).ConfigureAwait(false);
            return new ToolRunOutcome(result, files);
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
        finally
        {
            await VolumeCleanup.CleanupAsync(failure, inputs, outputs).ConfigureAwait(false);
        }
    }

    /// <summary>Everything that can be checked before anything exists on the engine.</summary>
    private static void Validate(ToolRunRequest request)
    {
        var tool = request.Tool ?? throw new ArgumentException("The request has no tool.", nameof(request));
        if (string.IsNullOrEmpty(tool.TenantId) || string.IsNullOrEmpty(tool.RunId))
        {
            throw new ArgumentException("The tool's TenantId and RunId name the run's volumes; set both.", nameof(request));
        }

        if (tool.Mounts.Count > 0)
        {
            throw new ArgumentException("The run mounts its own input and output volumes; the tool must not bring mounts.", nameof(request));
        }

        foreach (var (target, used) in new[] { (request.InputMount, request.Inputs is not null), (request.OutputMount, request.Outputs is not null) })
        {
            if (used && (VolumePathRules.GetMountTargetProblem(target) ?? VolumePathRules.GetReservedMountProblem(target)) is { } problem)
            {
                throw new VolumeValidationException("target", target, problem);
            }
        }

        if (request.Inputs is not null && request.Outputs is not null && VolumePathRules.AreNested(request.InputMount, request.OutputMount))
        {
            throw new VolumeValidationException("target", request.OutputMount, $"it is the same as or nested with the input mount '{request.InputMount}'");
        }

        foreach (var output in request.Outputs ?? [])
        {
            if (VolumePathRules.GetFileNameProblem(output.Name) is { } problem)
            {
                throw new VolumeValidationException("name", output.Name, problem);
            }

            // An optional stream output without a destination is not wanted this time; a required one is a mistake.
            if (output.Kind == ToolOutputKind.Stream && (output.Destination is { CanWrite: false } || (output.Destination is null && !output.Optional)))
            {
                throw new ArgumentException($"The stream output '{output.Name}' needs a writable Destination.", nameof(request));
            }
        }

        if ((request.Outputs ?? []).GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new VolumeValidationException("name", duplicate.Key, "it is requested twice");
        }
    }

    /// <summary>Streams the file into its destination; the marker that it was copied.</summary>
    private static async Task<object> CopyAsync(IsolatedContainerVolume outputs, ToolOutputFile output, CancellationToken cancellationToken)
    {
        await outputs.CopyFileToAsync(output.Name, output.Destination!, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The required text outputs in one request, the others one by one; an optional output that is
    /// missing is null. Any other failure fails the run (the caller sets all outputs or none).
    /// </summary>
    private static async Task<Dictionary<string, (ToolOutputKind Kind, object? Value)>> ReadOutputsAsync(
        IsolatedContainerVolume outputs, IReadOnlyList<ToolOutputFile> requested, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, (ToolOutputKind Kind, object? Value)>(StringComparer.Ordinal);
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

        return files;
    }
}
