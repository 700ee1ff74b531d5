using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>Sorts and de-duplicates the domains, like a resolver's pre-processing step.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "sort -u /inputs/domains.txt > /outputs/sorted.txt && echo sorted" }, User = "65532:65532")]
public partial class SortUniqueTool
{
    [InputFile("domains.txt")] public string Domains { get; set; } = "";
    [OutputFile("sorted.txt")] public string? Sorted { get; private set; }
    [OutputFile("summary.txt", Optional = true)] public string? Summary { get; private set; }
}

/// <summary>Every input and output kind, copied through by the tool.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "cat /in/bin/a.bin /in/memory.bin /in/stream.bin > /out/all.bin && cp /out/all.bin /out/all-streamed.bin && cat /in/text.txt > /out/text-back.txt && echo extra > /out/extra.txt" },
    User = "65532:65532", InputMount = "/in", OutputMount = "/out")]
public partial class CopyAllKindsTool
{
    [InputFile("text.txt")] public string? Text { get; set; }
    [InputFile("bin/a.bin")] public byte[]? Bytes { get; set; }
    [InputFile("memory.bin")] public ReadOnlyMemory<byte> Memory { get; set; }
    [InputFile("stream.bin")] public Stream? Stream { get; set; }
    [InputFile("skipped.txt")] public string? NullIsNotWritten { get; set; }
    [OutputFile("all.bin")] public byte[]? All { get; private set; }
    [OutputFile("text-back.txt")] public string? TextBack { get; private set; }
    [OutputFile("extra.txt", Optional = true)] public byte[]? Extra { get; private set; }
    [OutputFile("all-streamed.bin", Optional = true)] public Stream? AllStreamed { get; set; } // null: not wanted
    [OutputFile("never-written.bin", Optional = true)] public Stream? NeverWritten { get; set; }
}

/// <summary>Runs whatever script it is given; for failure, timeout and missing-output cases.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "/inputs/script.sh" }, User = "65532:65532", TimeoutSeconds = 3)]
public partial class ScriptTool
{
    [InputFile("script.sh")] public string Script { get; set; } = "";
    [OutputFile("result.txt")] public string? Result { get; private set; }
}

/// <summary>Like <see cref="ScriptTool"/>, but a non-zero exit is a result, not an exception.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "/inputs/script.sh" }, User = "65532:65532", AllowNonZeroExit = true)]
public partial class LenientScriptTool
{
    [InputFile("script.sh")] public string Script { get; set; } = "";
}

/// <summary>Two required outputs of different kinds, written by whatever script it is given.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "/inputs/script.sh" }, User = "65532:65532")]
public partial class TwoOutputsTool
{
    [InputFile("script.sh")] public string Script { get; set; } = "";
    [OutputFile("a.txt")] public string? A { get; private set; }
    [OutputFile("b.bin")] public byte[]? B { get; private set; }
}

/// <summary>Settings through environment variables, a secret among them; the tool reports what it got.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "echo \"$SCAN_REGION|$THREADS|${MAX_BYTES-unset}|$VERBOSE|$(printf %s \"$API_TOKEN\" | wc -c)\" > /outputs/env.txt" })]
public partial class ConfiguredTool
{
    [EnvironmentVariable("SCAN_REGION")] public string? Region { get; set; }
    [EnvironmentVariable("THREADS")] public int Threads { get; set; }
    [EnvironmentVariable("MAX_BYTES")] public long? MaxBytes { get; set; }
    [EnvironmentVariable("VERBOSE")] public bool Verbose { get; set; }
    [EnvironmentVariable("API_TOKEN", Secret = true)] public string? Token { get; set; }
    [OutputFile("env.txt")] public string? Seen { get; private set; }
}

/// <summary>A report folder, like nuclei's -output-dir or a crawler's per-host files, plus a file inside it.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "mkdir /outputs/reports/hosts && for h in $(cat /inputs/targets.txt); do echo \"scanned $h\" > /outputs/reports/hosts/$h.txt; done && echo '{}' > /outputs/reports/summary.json" })]
public partial class ReportFolderTool
{
    [InputFile("targets.txt")] public string Targets { get; set; } = "";
    [OutputDirectory("reports")] public IReadOnlyDictionary<string, string>? Reports { get; private set; }
    [OutputDirectory("screens", Optional = true)] public IReadOnlyDictionary<string, byte[]>? Screens { get; private set; }
    [OutputFile("reports/summary.json")] public string? Summary { get; private set; }
}

/// <summary>Counts the lines of a sorted list: a pipeline step after <see cref="SortUniqueTool"/>, whose output folder is its input folder.</summary>
[ContainerTool(BusyboxImage.Name, Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "wc -l < /inputs/sorted.txt | tr -d ' ' > /outputs/count.txt" }, User = "65532:65532")]
public partial class CountLinesTool
{
    [InputFile("sorted.txt")] public string? Sorted { get; set; }
    [OutputFile("count.txt")] public string? Count { get; private set; }
}
