using VolumeGen.Engine;
using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// One tenant's run in several steps (subdomain enumeration, then DNS resolution, then HTTP probing)
/// whose intermediate files never pass through the worker: each step's output folder stays on the
/// engine and a later step mounts it, read-only, as its input folder. Every step still reads back
/// the outputs it asks for. The kept folders are removed when the pipeline is disposed (and a failed
/// step's right away), so use it with <c>await using</c>. Steps run one after another; a step may
/// take its input from any earlier step. All tools of a pipeline must run as the same user (the
/// files of one are readable by that user only).
/// </summary>
public sealed class ToolPipeline : IAsyncDisposable
{
    private readonly ContainerToolRunner _runner;
    private readonly List<ToolPipelineStep> _steps = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    /// <summary>A pipeline for <paramref name="tenantId"/>'s run <paramref name="runId"/> on <paramref name="runner"/>.</summary>
    public ToolPipeline(ContainerToolRunner runner, string tenantId, string runId, IsolatedVolumeOptions? volumeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        IdentifierRules.ThrowIfInvalid(nameof(tenantId), tenantId);
        IdentifierRules.ThrowIfInvalid(nameof(runId), runId);
        _runner = runner;
        TenantId = tenantId;
        RunId = runId;
        VolumeOptions = volumeOptions;
    }

    /// <summary>The tenant every step runs for.</summary>
    public string TenantId { get; }

    /// <summary>The run every step belongs to.</summary>
    public string RunId { get; }

    /// <summary>The volume settings of every step (a request's own take precedence).</summary>
    public IsolatedVolumeOptions? VolumeOptions { get; }

    /// <summary>The last step that completed, or null before the first.</summary>
    public ToolPipelineStep? LastStep => _steps.Count == 0 ? null : _steps[^1];

    /// <summary>
    /// A context that runs generated wrappers as steps of this pipeline: their outputs are kept for
    /// later steps, and with <paramref name="inputFrom"/> their input folder is that step's output
    /// folder (leave their [InputFile] properties null). Get the step from <see cref="LastStep"/>.
    /// </summary>
    public ToolRunContext Context(ToolPipelineStep? inputFrom = null) => new(TenantId, RunId)
    {
        Runner = _runner,
        VolumeOptions = VolumeOptions,
        Pipeline = this,
        InputFrom = inputFrom,
    };

    /// <summary>
    /// Runs one step, a request for the pipeline's tenant and run; with <paramref name="inputFrom"/> the input
    /// folder is that earlier step's output folder (the request brings no input files). The step's
    /// output folder is kept for later steps (one is made even when the request reads nothing back).
    /// </summary>
    /// <exception cref="ArgumentException">The step belongs to another pipeline, the request is for another tenant or run, or it brings input files as well.</exception>
    /// <exception cref="VolumeGenException">The tool runs as another user than the step it takes its input from.</exception>
    public async Task<ToolPipelineStep> RunAsync(ToolRunRequest request, ToolPipelineStep? inputFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (inputFrom is not null && !_steps.Contains(inputFrom))
        {
            throw new ArgumentException("That step is not an earlier step of this pipeline.", nameof(inputFrom));
        }

        var step = request.RunBy("This pipeline", TenantId, RunId, VolumeOptions);
        step = step with { Definition = step.Definition is { HasOutputFolder: false } definition ? definition with { Outputs = [] } : step.Definition };
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var (outcome, workspace) = await _runner.RunStepAsync(step, inputFrom?.Workspace, keepOutputs: true, cancellationToken).ConfigureAwait(false);
            var done = new ToolPipelineStep(outcome, workspace);
            _steps.Add(done);
            return done;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes every kept output folder (each one, whatever happens to the others).</summary>
    /// <exception cref="VolumeCleanupException">A folder could not be removed; it is left to the sweeper.</exception>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var releases = _steps.Select(s => s.Workspace.ReleaseAsync(null)).ToList();
            try
            {
                await Task.WhenAll(releases).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Every step's volumes were tried; what none of them could remove is reported together.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(
                    RunCleanup.First(releases.Where(r => r.IsFaulted).SelectMany(r => r.Exception!.InnerExceptions).ToList()));
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A completed step of a <see cref="ToolPipeline"/>: what it read back, and its output folder kept on the engine.</summary>
public sealed class ToolPipelineStep
{
    internal ToolPipelineStep(ToolRunOutcome outcome, IToolRunWorkspace workspace)
    {
        Outcome = outcome;
        Workspace = workspace;
    }

    /// <summary>The step's result and the outputs it asked for.</summary>
    public ToolRunOutcome Outcome { get; }

    internal IToolRunWorkspace Workspace { get; }
}
