namespace VolumeGen.Diagnostics;

/// <summary>Every VolumeGen rule ID, in one place (the analyzers, the generator and the docs use these).</summary>
internal static class DiagnosticIds
{
    /// <summary>An IsolatedContainerVolume is not cleaned up on all paths.</summary>
    public const string VolumeNotCleanedUp = "VG0001";

    /// <summary>An input volume is mounted read-write.</summary>
    public const string InputVolumeMountedReadWrite = "VG0002";

    /// <summary>Unsafe file path or mount target.</summary>
    public const string UnsafeFilePath = "VG0003";

    /// <summary>A host path is bind-mounted into a container; it breaks under Docker-in-Docker.</summary>
    public const string HostBindMount = "VG0004";

    /// <summary>A [ContainerTool] type (or a type containing it) is not partial.</summary>
    public const string ToolTypeNotPartial = "VG0100";

    /// <summary>Two inputs or two outputs of one tool use the same file name.</summary>
    public const string DuplicateFileName = "VG0101";

    /// <summary>Retired (the ID stays reserved): one file name as an input and an output, which is fine (two volumes).</summary>
    public const string FileIsInputAndOutput = "VG0102";

    /// <summary>An [InputFile]/[OutputFile] property has an unsupported type or accessor shape.</summary>
    public const string UnsupportedFileProperty = "VG0103";

    /// <summary>The [ContainerTool] type is generic or static.</summary>
    public const string UnsupportedToolType = "VG0104";

    /// <summary>The [ContainerTool] settings are invalid (empty image, same mount twice, bad timeout).</summary>
    public const string InvalidToolConfiguration = "VG0105";
}
