using System.Text.Json;

namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// jq over a JSON document: the filter is an input file (never a shell argument), the result a JSON
/// file. The image runs as 1000:1000, a uid its passwd does not list.
/// </summary>
[ContainerTool(DebianToolImages.Jq,
    Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "jq --compact-output --from-file /inputs/filter.jq /inputs/input.json > /outputs/result.json" },
    TimeoutSeconds = 60)]
public sealed partial class JqFilter
{
    /// <summary>The JSON document.</summary>
    [InputFile("input.json")] public string Json { get; set; } = "null";

    /// <summary>The jq program.</summary>
    [InputFile("filter.jq")] public string Filter { get; set; } = ".";

    /// <summary>jq's output.</summary>
    [OutputFile("result.json")] public string? ResultJson { get; private set; }

    /// <summary>The output, parsed.</summary>
    public JsonDocument Result => JsonDocument.Parse(ResultJson ?? throw new InvalidOperationException("Run the filter first."));
}
