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
    /// <exception cref="ArgumentException">The request has no tenant or run, its definition names one or brings mounts of its own, or a run value does not fit the definition.</exception>
    /// <exception cref="VolumeValidationException">A file name or mount target is unsafe, or the two mounts overlap (nothing was created).</exception>
    /// <exception cref="ContainerToolFailedException">The tool exited non-zero and <see cref="ToolDefinition.AllowNonZeroExit"/> is off.</exception>
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
        var tool = Validate(request, inputFolder: request.Inputs is not null || inputFrom is not null);
        if (inputFrom is not null && request.Inputs is { Count: > 0 })
        {
            throw new ArgumentException("The step's input folder is the earlier step's output folder; it takes no input files of its own (leave the [InputFile] properties null).", nameof(request));
        }

        var definition = request.Definition;
        var workspace = await _backend.PrepareAsync(request, tool, inputFrom, cancellationToken).ConfigureAwait(false);
        Exception? failure = null;
        try
        {
            var result = await workspace.RunAsync(tool, cancellationToken).ConfigureAwait(false);
            if (!definition.AllowNonZeroExit)
            {
                ContainerToolFailedException.ThrowIfFailed(tool.Image, result);
            }

            var outputs = await workspace.StageOutAsync(definition.Outputs ?? [], request.DestinationOf, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Everything that can be checked before anything exists on the engine; the tool as the run starts it.</summary>
    private static ToolRunSpec Validate(ToolRunRequest request, bool inputFolder)
    {
        var definition = request.Definition ?? throw new ArgumentException("The request has no definition.", nameof(request));
        var defined = definition.Tool ?? throw new ArgumentException("The definition has no tool.", nameof(request));
        if (string.IsNullOrEmpty(request.TenantId) || string.IsNullOrEmpty(request.RunId))
        {
            throw new ArgumentException("The request's TenantId and RunId name the run's volumes; set both.", nameof(request));
        }

        IdentifierRules.ThrowIfInvalid("tenantId", request.TenantId);
        IdentifierRules.ThrowIfInvalid("runId", request.RunId);

        // A definition is every tenant's: the run's tenant and run are the request's alone.
        if (defined.TenantId is not null || defined.RunId is not null)
        {
            throw new ArgumentException("The definition's tool names a tenant or run; leave both to the request.", nameof(request));
        }

        if (defined.Mounts.Count > 0)
        {
            throw new ArgumentException("The run mounts its own input and output volumes; the tool must not bring mounts.", nameof(request));
        }

        // The tool's own checks (limits, protections, image reference) before anything exists.
        var tool = request.EffectiveTool();
        Validate(tool);

        foreach (var (target, used) in new[] { (definition.InputMount, inputFolder), (definition.OutputMount, definition.HasOutputFolder) })
        {
            // The run's folders never take /tmp: it is the tool's tmpfs by default.
            if (used && MountTargetProblem(target, tmpIsFree: false) is { } problem)
            {
                throw new VolumeValidationException("target", target, problem);
            }
        }

        if (inputFolder && definition.HasOutputFolder && VolumePathRules.AreNested(definition.InputMount, definition.OutputMount))
        {
            throw new VolumeValidationException("target", definition.OutputMount, $"it is the same as or nested with the input mount '{definition.InputMount}'");
        }

        ValidateOutputs(request);
        return tool;
    }

    /// <summary>The definition's outputs and this run's destinations.</summary>
    private static void ValidateOutputs(ToolRunRequest request)
    {
        var outputs = request.Definition.Outputs ?? [];
        if (outputs.Any(o => o is null))
        {
            throw new ArgumentException("The definition's outputs hold a null.", nameof(request));
        }

        foreach (var output in outputs)
        {
            if (VolumePathRules.GetFileNameProblem(output.Name) is { } problem)
            {
                throw new VolumeValidationException("name", output.Name, problem);
            }
        }

        var folders = outputs.Where(o => o.IsDirectory).ToList();
        foreach (var output in outputs)
        {
            if (output.IsDirectory)
            {
                continue;
            }

            // The folders exist before the tool starts, so no output file can be one of them or above one.
            if (folders.FirstOrDefault(d => d.Name == output.Name || d.Name.StartsWith(output.Name + "/", StringComparison.Ordinal)) is { } above)
            {
                throw new VolumeValidationException("name", output.Name, $"it is the output folder '{above.Name}' or one of its parents, which exist as folders when the tool starts");
            }

            if (output is StreamOutputFile stream)
            {
                // Read once from one archive: a stream cannot also be kept as part of a folder.
                if (folders.FirstOrDefault(d => stream.Name.StartsWith(d.Name + "/", StringComparison.Ordinal)) is { } folder)
                {
                    throw new ArgumentException($"The stream output '{stream.Name}' is inside the output folder '{folder.Name}', which is read whole; read it as text or bytes, or outside the folder.", nameof(request));
                }

                // An optional stream output without a destination is not wanted this time; a required one is a mistake.
                var destination = request.DestinationOf(stream);
                if (destination is { CanWrite: false } || (destination is null && !stream.Optional))
                {
                    throw new ArgumentException($"The stream output '{stream.Name}' needs a writable destination in the request's Destinations.", nameof(request));
                }
            }
        }

        foreach (var names in new[] { outputs.Where(o => !o.IsDirectory), folders })
        {
            if (names.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            {
                throw new VolumeValidationException("name", duplicate.Key, "it is requested twice");
            }
        }

        if (request.Destinations?.Keys.FirstOrDefault(d => !outputs.Contains(d)) is { } stray)
        {
            throw new ArgumentException($"The request has a destination for '{stray.Name}', which is not a stream output of its definition.", nameof(request));
        }
    }
}
