namespace VolumeGen.Engine;

/// <summary>
/// The seam between the tool lifecycle and the engine that carries it out.
/// <see cref="ContainerToolRunner.RunToolAsync"/> owns everything that is the same on every engine
/// (validation before anything exists, the order of the steps, the exit-code policy, all outputs or
/// none, release on every path with its failures attached to the run's error); a backend owns how
/// each step happens. Shaped by what a run needs, not by Docker's objects, so that a backend with a
/// pod per run fits without changing the public API:
/// <list type="table">
/// <listheader><term>step</term><description>Docker Engine (and Podman) / Kubernetes</description></listheader>
/// <item><term><see cref="PrepareAsync"/> (resolve)</term><description>the image found or pulled, its user (names from its own /etc/passwd) / the pod's <c>runAsUser</c>, or the image config from the registry</description></item>
/// <item><term><see cref="PrepareAsync"/> (stage-in)</term><description>an input and an output named volume owned by that user, filled through the archive API / a pod with emptyDir volumes whose init container receives the inputs as a tar through exec</description></item>
/// <item><term><see cref="IToolRunWorkspace.RunAsync"/></term><description>the tool container with both volumes mounted / the pod's tool container, to termination</description></item>
/// <item><term><see cref="IToolRunWorkspace.StageOutAsync"/></term><description>archive reads through a never-started helper / a tar through exec in a stage-out container that outlives the tool</description></item>
/// <item><term><see cref="IToolRunWorkspace.ReleaseAsync"/></term><description>the volumes and any container on them, retried / the pod (emptyDirs go with it)</description></item>
/// </list>
/// Docker Engine is the one implementation today (<see cref="DockerToolRunBackend"/>); docs/scale-out.md
/// maps a Kubernetes one onto these methods.
/// </summary>
internal interface IToolRunBackend
{
    /// <summary>
    /// Resolves what the tool runs (its image and numeric user, once per run), creates the run's
    /// folders (one per side the request uses) owned by that user and stages the inputs in; with
    /// <paramref name="inputFrom"/> (a pipeline's earlier step, kept) its output folder is this run's
    /// input folder, read-only, staged nowhere (Kubernetes: a later container of the same pod on the
    /// same emptyDir). On failure nothing is left: what was created is released before the exception
    /// propagates (cleanup failures attached to it under <see cref="VolumeCleanup.FailuresKey"/>).
    /// <paramref name="tool"/> is the tool as the run starts it, validated (the request's tenant, run,
    /// arguments and environment in place).
    /// </summary>
    Task<IToolRunWorkspace> PrepareAsync(ToolRunRequest request, ToolRunSpec tool, IToolRunWorkspace? inputFrom, CancellationToken cancellationToken);
}

/// <summary>One run's prepared folders on the engine: run the tool on them, stage the outputs out, release them.</summary>
internal interface IToolRunWorkspace
{
    /// <summary>The numeric user the tool runs as; the run's files are owned by it.</summary>
    ToolUser Owner { get; }

    /// <summary>Runs the tool (already validated) with the inputs mounted read-only and the outputs writable.</summary>
    Task<ToolRunResult> RunAsync(ToolRunSpec tool, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the requested output files and folders back, by output: every one, or the call fails; an
    /// optional output that is missing is null; a stream output is copied into what
    /// <paramref name="destinationOf"/> names (an optional one without destination is not read).
    /// </summary>
    Task<IReadOnlyDictionary<ToolOutput, object?>> StageOutAsync(IReadOnlyList<ToolOutput> requested, Func<StreamOutputFile, Stream?> destinationOf, CancellationToken cancellationToken);

    /// <summary>
    /// Removes everything the run created, whatever happened, never with the run's token; with
    /// <paramref name="keepOutputs"/> all but the output folder, which a later call without it
    /// removes (a pipeline's step feeding later steps). A folder borrowed from an earlier step is
    /// never removed here. After a failed run (<paramref name="runFailure"/> set) what could not be
    /// removed is attached to it and nothing is thrown; after a successful one it is thrown
    /// (<see cref="VolumeCleanupException"/>).
    /// </summary>
    Task ReleaseAsync(Exception? runFailure, bool keepOutputs = false);
}
