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
    /// tenant's limits, a network for one run. Applied to the declaration's spec before the run (the
    /// runner still refuses values that switch a protection off without their opt-in).
    /// </summary>
    public Func<ToolRunSpec, ToolRunSpec>? ConfigureTool { get; init; }

    /// <summary>The pipeline this run is a step of (see <see cref="ToolPipeline.Context"/>); null: a run of its own.</summary>
    public ToolPipeline? Pipeline { get; init; }

    /// <summary>With <see cref="Pipeline"/>: the earlier step whose output folder is this run's input folder.</summary>
    public ToolPipelineStep? InputFrom { get; init; }

    /// <summary>
    /// Runs <paramref name="definition"/> for this context's tenant and run with this run's
    /// <paramref name="values"/>, through <see cref="ContainerToolRunner.RunToolAsync"/> (so every
    /// guarantee of that call holds); <see cref="ConfigureTool"/> is applied to the spec first.
    /// </summary>
    /// <exception cref="ArgumentException">A variable is set by both the definition and the values, or a stream output has no destination.</exception>
    public Task<ToolRunOutcome> RunAsync(ToolDefinition definition, ToolRunValues values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(values);
        var tool = definition.Tool with
        {
            TenantId = TenantId,
            RunId = RunId,
            Command = values.Command ?? definition.Tool.Command,
            Entrypoint = values.Entrypoint ?? definition.Tool.Entrypoint,
            Environment = Merge(definition.Tool.Environment, values.Environment),
            SecretEnvironment = Merge(definition.Tool.SecretEnvironment, values.SecretEnvironment),
        };
        var request = new ToolRunRequest(ConfigureTool is { } configure ? configure(tool) : tool)
            {
                InputMount = definition.InputMount,
                Inputs = values.Inputs?.ToList(),
                OutputMount = definition.OutputMount,
                Outputs = definition.Outputs?.Select(o => o.Kind == ToolOutputKind.Stream ? o with { Destination = values.Destinations.GetValueOrDefault(o.Name) } : o).ToList(),
                OutputDirectories = definition.OutputDirectories,
                AllowNonZeroExit = definition.AllowNonZeroExit,
                VolumeOptions = VolumeOptions,
            };
        return Pipeline is { } pipeline ? RunAsStepAsync(pipeline, request, cancellationToken) : Runner.RunToolAsync(request, cancellationToken);
    }

    private async Task<ToolRunOutcome> RunAsStepAsync(ToolPipeline pipeline, ToolRunRequest request, CancellationToken cancellationToken) =>
        (await pipeline.RunAsync(request, InputFrom, cancellationToken).ConfigureAwait(false)).Outcome;

    private static IReadOnlyDictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? defined, ToolEnvironment values)
    {
        if (values.Count == 0)
        {
            return defined;
        }

        var merged = new Dictionary<string, string>(defined ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (!merged.TryAdd(name, value))
            {
                throw new ArgumentException($"The environment variable '{name}' is set by both the tool's definition and this run's values.", nameof(values));
            }
        }

        return merged;
    }
}
