// Shared by the integration tests and the benchmarks (linked into each).
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Testing;

/// <summary>Whole-run requests over the busybox stand-in image, and the one-line variations tests and benchmarks make of them.</summary>
internal static class ScriptRequests
{
    /// <summary>A whole run of a shell script in the stand-in tool for <paramref name="tenant"/>'s run <paramref name="runId"/>, without inputs or outputs yet.</summary>
    public static ToolRunRequest Script(string tenant, string runId, string script, TimeSpan? timeout = null) => new(
        new ToolDefinition(new ToolRunSpec(BusyboxImage.Name)
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = [script],
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        }),
        tenant,
        runId);

    /// <summary>The request with its definition's outputs replaced: one line where a test varies only what it reads back.</summary>
    public static ToolRunRequest WithOutputs(this ToolRunRequest request, params ToolOutput[] outputs) =>
        request with { Definition = request.Definition with { Outputs = outputs } };

    /// <summary>The request with its definition changed by <paramref name="change"/>.</summary>
    public static ToolRunRequest WithDefinition(this ToolRunRequest request, Func<ToolDefinition, ToolDefinition> change) =>
        request with { Definition = change(request.Definition) };

    /// <summary>The request with its definition's tool changed by <paramref name="change"/>.</summary>
    public static ToolRunRequest WithTool(this ToolRunRequest request, Func<ToolRunSpec, ToolRunSpec> change) =>
        request with { Definition = request.Definition with { Tool = change(request.Definition.Tool) } };
}
