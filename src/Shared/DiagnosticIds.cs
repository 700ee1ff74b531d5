namespace VolumeGen.Diagnostics;

/// <summary>Every VolumeGen rule ID, in one place (the analyzers, the generator and the docs use these).</summary>
internal static class DiagnosticIds
{
    /// <summary>Unsafe file path or mount target.</summary>
    public const string UnsafeFilePath = "VG0003";

    /// <summary>A [ContainerTool] type (or a type containing it) is not partial.</summary>
    public const string ToolTypeNotPartial = "VG0100";

    /// <summary>Two inputs or two outputs of one tool use the same file name.</summary>
    public const string DuplicateFileName = "VG0101";

    /// <summary>One file name is both an input and an output.</summary>
    public const string FileIsInputAndOutput = "VG0102";

    /// <summary>An [InputFile]/[OutputFile] property has an unsupported type or accessor shape.</summary>
    public const string UnsupportedFileProperty = "VG0103";

    /// <summary>The [ContainerTool] type is generic or static.</summary>
    public const string UnsupportedToolType = "VG0104";

    /// <summary>The [ContainerTool] settings are invalid (empty image, same mount twice, bad timeout).</summary>
    public const string InvalidToolConfiguration = "VG0105";
}
