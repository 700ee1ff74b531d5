namespace VolumeGen;

/// <summary>
/// One run of a <see cref="ToolDefinition"/> for <see cref="ContainerToolRunner.RunToolAsync"/>: the
/// definition (what every run shares) and what this run brings. The definition's outputs are read back
/// from the tool's output folder (an empty volume of its own, mounted read-write); this run's files are
/// written into its input folder (mounted read-only).
/// </summary>
/// <param name="Definition">The tool and what every run of it reads back.</param>
/// <param name="TenantId">The tenant: part of the volume names and of every label.</param>
/// <param name="RunId">The run: part of the volume names and of every label.</param>
public sealed record ToolRunRequest(ToolDefinition Definition, string TenantId, string RunId)
{
    /// <summary>
    /// The files written into the input folder before the tool starts (see <see cref="ToolInputs"/> for
    /// an initializer). Null: the tool gets no input folder; empty: an empty one.
    /// </summary>
    public IReadOnlyList<VolumeFile>? Inputs { get; init; }

    /// <summary>Environment values added to the definition's (see <see cref="ToolEnvironment"/>); a variable set by both is refused.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Secret environment values added to the definition's (see <see cref="ToolRunSpec.SecretEnvironment"/>): passed to the tool, never logged.</summary>
    public IReadOnlyDictionary<string, string>? SecretEnvironment { get; init; }

    /// <summary>This run's arguments, replacing the definition's (values checked with <see cref="ToolArguments"/>); null keeps them.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>This run's entrypoint, replacing the definition's; null keeps it.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>
    /// Where each of the definition's <see cref="StreamOutputFile"/>s is copied this run (required for a
    /// required one; an optional one without a destination, or with a null one, is not read).
    /// </summary>
    public IReadOnlyDictionary<StreamOutputFile, Stream?>? Destinations { get; init; }

    /// <summary>Volume settings; null takes the runner's (when they are <see cref="IsolatedVolumeOptions"/>) or the defaults.</summary>
    public IsolatedVolumeOptions? VolumeOptions { get; init; }

    /// <summary>The tool as this run starts it: the definition's spec with this run's tenant, run, arguments and environment.</summary>
    /// <exception cref="ArgumentException">A variable is set by both the definition and this run.</exception>
    internal ToolRunSpec EffectiveTool() => Definition.Tool with
    {
        TenantId = TenantId,
        RunId = RunId,
        Command = Command ?? Definition.Tool.Command,
        Entrypoint = Entrypoint ?? Definition.Tool.Entrypoint,
        Environment = Merge(Definition.Tool.Environment, Environment),
        SecretEnvironment = Merge(Definition.Tool.SecretEnvironment, SecretEnvironment),
    };

    /// <summary>
    /// This request as <paramref name="runner"/> (a context or a pipeline, for the message) runs it: for its
    /// tenant and run only, with its volume settings unless the request brings its own.
    /// </summary>
    /// <exception cref="ArgumentException">The request is for another tenant or run.</exception>
    internal ToolRunRequest RunBy(string runner, string tenantId, string runId, IsolatedVolumeOptions? volumeOptions) =>
        TenantId == tenantId && RunId == runId
            ? this with { VolumeOptions = VolumeOptions ?? volumeOptions }
            : throw new ArgumentException($"{runner} runs tools for tenant '{tenantId}', run '{runId}'; the request is for tenant '{TenantId}', run '{RunId}'.", "request");

    /// <summary>Where <paramref name="output"/> is copied this run; null: not wanted.</summary>
    internal Stream? DestinationOf(StreamOutputFile output) => Destinations?.GetValueOrDefault(output);

    private static IReadOnlyDictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? defined, IReadOnlyDictionary<string, string>? added)
    {
        if (added is not { Count: > 0 })
        {
            return defined;
        }

        var merged = new Dictionary<string, string>(defined ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in added)
        {
            if (!merged.TryAdd(name, value))
            {
                throw new ArgumentException($"The environment variable '{name}' is set by both the tool's definition and this run.", nameof(Environment));
            }
        }

        return merged;
    }
}
