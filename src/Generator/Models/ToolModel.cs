using System.Linq;
using VolumeGen.Declarations;

namespace VolumeGen.Generator.Models;

/// <summary>
/// Everything the emitter needs about one tool, as plain values: no symbols, syntax or locations,
/// so an edit that does not change these values is cached by the incremental pipeline.
/// </summary>
internal sealed record ToolModel(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string TypeName,
    string TypeKeyword,
    RunAsyncDispatch Dispatch,
    string Image,
    ImagePullPolicy? PullPolicy,
    string? ImageDigest,
    EquatableArray<ArgumentModel>? Command,
    EquatableArray<ArgumentModel>? Entrypoint,
    string? User,
    string? WorkingDirectory,
    string InputMount,
    string OutputMount,
    int TimeoutSeconds,
    bool AllowNonZeroExit,
    ToolLimits Limits,
    EquatableArray<InputFileModel> Inputs,
    EquatableArray<OutputFileModel> Outputs,
    EquatableArray<VariableModel> Variables)
{
    /// <summary><c>Namespace.Outer.Type.g.cs</c>, or <c>Type.g.cs</c> in the global namespace.</summary>
    public string HintName =>
        string.Join(".", new[] { Namespace }.Concat(ContainingTypes.Select(t => t.Name)).Append(TypeName).Where(p => !string.IsNullOrEmpty(p))) + ".g.cs";
}

/// <summary>
/// How the generated <c>RunAsync</c> takes part in inheritance: virtual in a class that can be
/// derived from, an override in a tool class deriving from another tool class, plain otherwise
/// (a sealed class, a struct).
/// </summary>
internal enum RunAsyncDispatch
{
    Plain,
    Virtual,
    Override,
}

/// <summary>One Command or Entrypoint element: literal pieces and property values, concatenated.</summary>
internal sealed record ArgumentModel(EquatableArray<ArgumentPart> Parts);

/// <summary>The attribute's network and resource settings; null or 0 keeps the runtime's default.</summary>
internal sealed record ToolLimits(string? NetworkMode, long MemoryBytes, double CpuLimit, long PidsLimit);

/// <summary>A type the tool is nested in.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>An [InputFile] property.</summary>
internal sealed record InputFileModel(string PropertyName, string FileName, InputFileKind Kind);

/// <summary>An [EnvironmentVariable] property; a secret goes to the spec's SecretEnvironment.</summary>
internal sealed record VariableModel(string PropertyName, string Name, VariableKind Kind, bool Nullable, bool Secret);

/// <summary>An [OutputFile] property.</summary>
internal sealed record OutputFileModel(string PropertyName, string FileName, OutputFileKind Kind, bool Optional);
