using VolumeGen.Engine;
using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>The whole tool lifecycle, for hand-written code and generated wrappers alike.</summary>
public sealed partial class ContainerToolRunner
{
    /// <summary>
    /// Runs a tool for one tenant's run, end to end: resolves the user the tool runs as, creates an
    /// input volume (the request's files, mounted read-only) and an output volume (mounted read-write,
    /// holding only the requested output folders, empty), both owned by that user and prepared at once; runs the tool; reads every requested
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
        return (await RunStepAsync(request, inputFrom: null, keepOutputs: false, cancellationToken).ConfigureAwait(false)).Outcome;
    }

    /// <summary>
    /// The lifecycle, for a run of its own or a pipeline's step: with <paramref name="inputFrom"/> the
    /// input folder is that earlier step's output folder (read-only, not released here); with
    /// <paramref name="keepOutputs"/> a successful step's output folder is kept for later steps (the
    /// caller releases the returned workspace again).
    /// </summary>
    internal async Task<(ToolRunOutcome Outcome, IToolRunWorkspace Workspace)> RunStepAsync(
        ToolRunRequest request, IToolRunWorkspace? inputFrom, bool keepOutputs, CancellationToken cancellationToken)
    {
        var tool = request.Tool;
        Validate(request, inputFolder: request.Inputs is not null || inputFrom is not null);
        if (inputFrom is not null && request.Inputs is { Count: > 0 })
        {
            throw new ArgumentException("The step's input folder is the earlier step's output folder; it takes no input files of its own (leave the [InputFile] properties null).", nameof(request));
        }

        var workspace = await _backend.PrepareAsync(request, inputFrom, cancellationToken).ConfigureAwait(false);
        Exception? failure = null;
        try
        {
            var result = await workspace.RunAsync(tool, cancellationToken).ConfigureAwait(false);
            if (!request.AllowNonZeroExit)
            {
                ContainerToolFailedException.ThrowIfFailed(tool.Image, result);
            }

            var outputs = await workspace.StageOutAsync(request.Outputs ?? [], request.OutputDirectories ?? [], cancellationToken).ConfigureAwait(false);
            return (new ToolRunOutcome(result, outputs), workspace);
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
        finally
        {
            await workspace.ReleaseAsync(failure, keepOutputs: keepOutputs && failure is null).ConfigureAwait(false);
        }
    }

    /// <summary>Everything that can be checked before anything exists on the engine.</summary>
    private static void Validate(ToolRunRequest request, bool inputFolder)
    {
        var tool = request.Tool ?? throw new ArgumentException("The request has no tool.", nameof(request));
        if (string.IsNullOrEmpty(tool.TenantId) || string.IsNullOrEmpty(tool.RunId))
        {
            throw new ArgumentException("The tool's TenantId and RunId name the run's volumes; set both.", nameof(request));
        }

        IdentifierRules.ThrowIfInvalid("tenantId", tool.TenantId);
        IdentifierRules.ThrowIfInvalid("runId", tool.RunId);

        if (tool.Mounts.Count > 0)
        {
            throw new ArgumentException("The run mounts its own input and output volumes; the tool must not bring mounts.", nameof(request));
        }

        // The tool's own checks (limits, protections, image reference) before anything exists.
        Validate(tool);

        foreach (var (target, used) in new[] { (request.InputMount, inputFolder), (request.OutputMount, request.HasOutputFolder) })
        {
            // The run's folders never take /tmp: it is the tool's tmpfs by default.
            if (used && MountTargetProblem(target, tmpIsFree: false) is { } problem)
            {
                throw new VolumeValidationException("target", target, problem);
            }
        }

        if (inputFolder && request.HasOutputFolder && VolumePathRules.AreNested(request.InputMount, request.OutputMount))
        {
            throw new VolumeValidationException("target", request.OutputMount, $"it is the same as or nested with the input mount '{request.InputMount}'");
        }

        foreach (var output in request.Outputs ?? [])
        {
            if (VolumePathRules.GetFileNameProblem(output.Name) is { } problem)
            {
                throw new VolumeValidationException("name", output.Name, problem);
            }

            // Read once from one archive: a stream cannot also be kept as part of a folder.
            if (output.Kind == ToolOutputKind.Stream && (request.OutputDirectories ?? []).FirstOrDefault(d => output.Name.StartsWith(d.Name + "/", StringComparison.Ordinal)) is { } folder)
            {
                throw new ArgumentException($"The stream output '{output.Name}' is inside the output folder '{folder.Name}', which is read whole; read it as text or bytes, or outside the folder.", nameof(request));
            }

            // An optional stream output without a destination is not wanted this time; a required one is a mistake.
            if (output.Kind == ToolOutputKind.Stream && (output.Destination is { CanWrite: false } || (output.Destination is null && !output.Optional)))
            {
                throw new ArgumentException($"The stream output '{output.Name}' needs a writable Destination.", nameof(request));
            }
        }

        foreach (var directory in request.OutputDirectories ?? [])
        {
            if (VolumePathRules.GetFileNameProblem(directory.Name) is { } problem)
            {
                throw new VolumeValidationException("name", directory.Name, problem);
            }

            if (directory.Kind == ToolOutputKind.Stream)
            {
                throw new ArgumentException($"The output folder '{directory.Name}' is read as text or bytes; a folder has no single stream.", nameof(request));
            }
        }

        // The folders exist before the tool starts, so no output file can be one of them or above one.
        foreach (var output in request.Outputs ?? [])
        {
            if ((request.OutputDirectories ?? []).FirstOrDefault(d => d.Name == output.Name || d.Name.StartsWith(output.Name + "/", StringComparison.Ordinal)) is { } folder)
            {
                throw new VolumeValidationException("name", output.Name, $"it is the output folder '{folder.Name}' or one of its parents, which exist as folders when the tool starts");
            }
        }

        foreach (var names in new[] { (request.Outputs ?? []).Select(o => o.Name), (request.OutputDirectories ?? []).Select(d => d.Name) })
        {
            if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            {
                throw new VolumeValidationException("name", duplicate.Key, "it is requested twice");
            }
        }
    }
}
