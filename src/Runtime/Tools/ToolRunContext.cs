using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>Who a generated tool run is for, and how it reaches Docker.</summary>
/// <param name="TenantId">The tenant; part of the volume names and labels.</param>
/// <param name="RunId">The run; part of the volume names and labels.</param>
/// <exception cref="VolumeValidationException">An ID is not safe (checked here, and on <c>with</c>, so a bad ID fails where it is made).</exception>
public sealed record ToolRunContext(string TenantId, string RunId)
{
    private readonly string _tenantId = IdentifierRules.ThrowIfInvalid("tenantId", TenantId);
    private readonly string _runId = IdentifierRules.ThrowIfInvalid("runId", RunId);
    private ContainerToolRunner? _runner;

    /// <summary>The tenant; part of the volume names and labels.</summary>
    public string TenantId
    {
        get => _tenantId;
        init => _tenantId = IdentifierRules.ThrowIfInvalid("tenantId", value);
    }

    /// <summary>The run; part of the volume names and labels.</summary>
    public string RunId
    {
        get => _runId;
        init => _runId = IdentifierRules.ThrowIfInvalid("runId", value);
    }

    /// <summary>
    /// Volume settings, including the Docker endpoint or client. Null connects like the runtime
    /// does by default (<c>DOCKER_HOST</c>, else the local socket).
    /// </summary>
    public IsolatedVolumeOptions? VolumeOptions { get; init; }

    /// <summary>
    /// The runner; by default one on the same Docker connection as <see cref="VolumeOptions"/>, made
    /// for that value (never cached here: a <c>with</c> copy that changes the options gets a runner for
    /// the new ones; connections and user resolutions are shared underneath anyway).
    /// </summary>
    public ContainerToolRunner Runner
    {
        get => _runner ?? new ContainerToolRunner(VolumeOptions);
        init => _runner = value;
    }

    /// <summary>
    /// Changes this call's tool settings, e.g. <c>t =&gt; t with { MemoryBytes = 2L &lt;&lt; 30 }</c>: a larger
    /// tenant's limits, a network for one run. Applied to the spec as the run starts it (the
    /// runner still refuses values that switch a protection off without their opt-in).
    /// </summary>
    public Func<ToolRunSpec, ToolRunSpec>? ConfigureTool { get; init; }

    /// <summary>The pipeline this run is a step of (see <see cref="ToolPipeline.Context"/>); null: a run of its own.</summary>
    public ToolPipeline? Pipeline { get; init; }

    /// <summary>With <see cref="Pipeline"/>: the earlier step whose output folder is this run's input folder.</summary>
    public ToolPipelineStep? InputFrom { get; init; }

    /// <summary>
    /// Runs <paramref name="request"/> (made for this context's tenant and run) through
    /// <see cref="ContainerToolRunner.RunToolAsync"/>, or as a step of <see cref="Pipeline"/>, so every
    /// guarantee of that call holds; <see cref="ConfigureTool"/> is applied first to the spec as the run
    /// starts it (the definition's with the run's arguments and environment), and the request without
    /// volume settings takes <see cref="VolumeOptions"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The request is for another tenant or run than this context, or <see cref="ConfigureTool"/> changed them.</exception>
    public Task<ToolRunOutcome> RunAsync(ToolRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = request.RunBy("This context", TenantId, RunId, VolumeOptions);
        if (ConfigureTool is { } configure && run.Definition?.Tool is { } defined)
        {
            // The change sees the tool as this run starts it (tenant, run, arguments and environment in
            // place); the run's own values are folded in, so nothing is added twice. The tenant and run
            // stay the request's: a definition that names one is still refused by the runner.
            var starting = run.EffectiveTool();
            var configured = configure(starting);
            if (configured.TenantId != starting.TenantId || configured.RunId != starting.RunId)
            {
                throw new ArgumentException("ConfigureTool changed the tool's tenant or run; they are the request's.", nameof(request));
            }

            run = run with
            {
                Definition = run.Definition with { Tool = configured with { TenantId = defined.TenantId, RunId = defined.RunId } },
                Command = null,
                Entrypoint = null,
                Environment = null,
                SecretEnvironment = null,
            };
        }

        return Pipeline is { } pipeline ? RunAsStepAsync(pipeline, run, cancellationToken) : Runner.RunToolAsync(run, cancellationToken);
    }

    private async Task<ToolRunOutcome> RunAsStepAsync(ToolPipeline pipeline, ToolRunRequest request, CancellationToken cancellationToken) =>
        (await pipeline.RunAsync(request, InputFrom, cancellationToken).ConfigureAwait(false)).Outcome;
}
