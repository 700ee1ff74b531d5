namespace VolumeGen.Generator.Tests;

/// <summary>The tool declarations the golden-file and caching tests run the generator on.</summary>
internal static class ToolSources
{
    public const string Contract = """
        using VolumeGen;

        namespace Samples;

        [ContainerTool("example/dnsx:1", Command = new[] { "-l", "/inputs/domains.txt", "-o", "/outputs/results.json" })]
        public partial class DnsxTool
        {
            [InputFile("domains.txt")]   public string Domains { get; set; } = "";
            [InputFile("resolvers.txt")] public byte[]? Resolvers { get; set; }
            [OutputFile("results.json")] public string? Results { get; private set; }
            [OutputFile("summary.txt", Optional = true)] public string? Summary { get; private set; }

            public int Helper() => 42;
        }
        """;

    public static readonly Dictionary<string, string> All = new()
    {
        ["Contract"] = Contract,
        // Command-line placeholders: files become their paths, scalar properties their checked values;
        // network and resource settings on the attribute.
        ["ArgumentTemplates"] = """
            using VolumeGen;

            namespace Tools;

            [ContainerTool("scanner:1", Entrypoint = new[] { "scanner" },
                Command = new[] { "-l", "{Targets}", "--ports={Ports}", "-t", "{Threads}", "-v={Verbose}", "-o", "{Report}", "{{literal}}", "${HOME}", "{not a placeholder}" },
                InputMount = "/in", NetworkMode = "bridge", MemoryBytes = 1L << 30, CpuLimit = 0.5, PidsLimit = 64)]
            public partial class Templated
            {
                [InputFile("lists/targets.txt")] public string Targets { get; set; } = "";
                public string Ports { get; set; } = "1-1024";
                public int Threads { get; set; } = 4;
                public bool? Verbose { get; set; }
                [OutputFile("report.json")] public string? Report { get; private set; }
            }
            """,
        // Environment variables of every supported type; a secret goes apart.
        ["Environment"] = """
            using VolumeGen;

            namespace Tools;

            [ContainerTool("scanner:1")]
            public partial class Configured
            {
                [InputFile("targets.txt")] public string Targets { get; set; } = "";
                [EnvironmentVariable("SCAN_REGION")] public string? Region { get; set; }
                [EnvironmentVariable("THREADS")] public int Threads { get; set; } = 4;
                [EnvironmentVariable("MAX_BYTES")] public long? MaxBytes { get; set; }
                [EnvironmentVariable("VERBOSE")] public bool Verbose { get; set; }
                [EnvironmentVariable("API_TOKEN", Secret = true)] public string? Token { get; set; }
                [OutputFile("report.json")] public string? Report { get; private set; }
            }
            """,
        // Tools deriving from tools and from a plain base with file properties: the derived RunAsync
        // overrides the base's (virtual), includes inherited files, and a hiding ('new') or
        // overriding property is the derived type's own.
        ["Inheritance"] = """
            using VolumeGen;

            namespace Scans;

            public abstract class ScanInputs
            {
                [InputFile("targets.txt")] public string Targets { get; set; } = "";
                [OutputFile("report.json")] public virtual string? Report { get; protected set; }
            }

            [ContainerTool("scanner:1")]
            public partial class BasicScan : ScanInputs
            {
                [InputFile("config.yaml")] public string? Config { get; set; }
            }

            [ContainerTool("scanner:2", TimeoutSeconds = 60)]
            public sealed partial class DeepScan : BasicScan
            {
                [InputFile("templates.tar")] public byte[]? Templates { get; set; }
                public override string? Report { get; protected set; }
                [InputFile("config-deep.yaml")] public new string? Config { get; set; }
            }
            """,
        // Property names that once collided with the emitted locals ("Files" with inputFiles, "s" with inputs).
        ["NamesLikeLocals"] = """
            [VolumeGen.ContainerTool("tool:1")]
            public partial class NamesLikeLocals
            {
                [VolumeGen.InputFile("a.txt")] public string Files { get; set; } = "";
                [VolumeGen.InputFile("b.txt")] public string? s { get; set; }
                [VolumeGen.InputFile("c.txt")] public string? tool { get; set; }
                [VolumeGen.InputFile("d.txt")] public string? owner { get; set; }
                [VolumeGen.OutputFile("e.txt")] public string? outputs { get; private set; }
                [VolumeGen.OutputFile("f.txt")] public string? result { get; private set; }
                [VolumeGen.OutputFile("g.bin", Optional = true)] public byte[]? texts { get; private set; }
                [VolumeGen.OutputFile("h.txt")] public string? failure { get; private set; }
            }
            """,
        // Keywords as namespace, type and property names ('@'-escaped in the emitted code).
        ["Keywords"] = """
            namespace @namespace.@class;

            [VolumeGen.ContainerTool("tool:1")]
            public partial class @event
            {
                [VolumeGen.InputFile("a.txt")] public string @string { get; set; } = "";
                [VolumeGen.InputFile("b.bin")] public byte[]? @in { get; set; }
                [VolumeGen.OutputFile("c.txt")] public string? @out { get; private set; }
                [VolumeGen.OutputFile("d.txt", Optional = true)] public string? value { get; private set; }
            }
            """,
        ["Minimal"] = """
            [VolumeGen.ContainerTool("tool:1")]
            internal partial class Minimal
            {
                [VolumeGen.InputFile("in.txt")] public string In { get; set; } = "";
                [VolumeGen.OutputFile("out.txt")] public string? Out { get; private set; }
            }
            """,
        ["RegistryImage"] = """
            using VolumeGen;

            [ContainerTool("registry.example.com:5000/tools/scan:1.4", PullPolicy = ImagePullPolicy.Always,
                ImageDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
            public sealed partial class PinnedScan
            {
                [InputFile("in.txt")] public string In { get; set; } = "";
                [OutputFile("out.txt")] public string? Out { get; private set; }
            }
            """,
        ["EveryPropertyType"] = """
            using System;
            using System.IO;
            using VolumeGen;

            namespace Tools.Scanning;

            [ContainerTool("scanner:2", Entrypoint = new[] { "/bin/scan" }, Command = new[] { "--config", "/in/config.yaml" },
                User = "65532:65532", WorkingDirectory = "/work", InputMount = "/in", OutputMount = "/out", TimeoutSeconds = 90, AllowNonZeroExit = true)]
            public partial class Scanner
            {
                [InputFile("config.yaml")] public string Config { get; set; } = "";
                [InputFile("templates/http/a.yaml")] public byte[]? Template { get; set; }
                [InputFile("wordlist.bin")] public ReadOnlyMemory<byte> Wordlist { get; set; }
                [InputFile("big/targets.txt")] public Stream? Targets { get; set; }
                [OutputFile("report.json")] public string Report { get; private set; } = "";
                [OutputFile("raw.bin")] public byte[]? Raw { get; private set; }
                [OutputFile("capture.pcap", Optional = true)] public System.IO.Stream Capture { get; set; } = System.IO.Stream.Null;
                [OutputFile("debug.log", Optional = true)] public string? DebugLog { get; private set; }
                [OutputFile("trace.bin", Optional = true)] public byte[]? Trace { get; private set; }
            }
            """,
        ["Nested"] = """
            namespace Outer.Space
            {
                public static partial class Tools
                {
                    internal partial class Inner
                    {
                        [VolumeGen.ContainerTool("nested:1", Command = new[] { "say \"hi\"\n" })]
                        public partial record NestedTool
                        {
                            [VolumeGen.InputFile("a.txt")] public string? A { get; set; }
                            [VolumeGen.OutputFile("b.txt")] public string? B { get; private set; }
                        }
                    }
                }
            }
            """,
        ["GlobalNamespace"] = """
            [VolumeGen.ContainerTool("global:1")]
            public partial class GlobalTool
            {
                [VolumeGen.OutputFile("b.bin")] public byte[]? B { get; private set; }
            }
            """,
        ["OptionalOutputs"] = """
            namespace Tools;

            [VolumeGen.ContainerTool("opt:1")]
            public partial class OptionalOutputs
            {
                [VolumeGen.InputFile("a.txt")] public string A { get; set; } = "";
                [VolumeGen.OutputFile("maybe.txt", Optional = true)] public string? Maybe { get; private set; }
                [VolumeGen.OutputFile("maybe.bin", Optional = true)] public byte[]? MaybeBytes { get; private set; }
            }
            """,
        ["OutputDirectories"] = """
            using System.Collections.Generic;
            namespace Tools;

            [VolumeGen.ContainerTool("nuclei:1", Command = new[] { "-l", "{Targets}", "-output-dir", "/outputs/reports" })]
            public partial class Reporting
            {
                [VolumeGen.InputFile("targets.txt")] public string Targets { get; set; } = "";
                [VolumeGen.OutputDirectory("reports")] public IReadOnlyDictionary<string, string> Reports { get; private set; } = new Dictionary<string, string>();
                [VolumeGen.OutputDirectory("screens", Optional = true)] public IReadOnlyDictionary<string, byte[]>? Screenshots { get; private set; }
                [VolumeGen.OutputFile("reports/summary.json")] public string Summary { get; private set; } = "";
            }
            """,
        ["NoInputs"] = """
            namespace Tools;

            [VolumeGen.ContainerTool("gen:1", Command = new[] { "generate" })]
            public partial class NoInputs
            {
                [VolumeGen.OutputFile("out.txt")] public string? Out { get; private set; }
            }
            """,
        ["NoOutputs"] = """
            namespace Tools;

            [VolumeGen.ContainerTool("check:1")]
            public partial class NoOutputs
            {
                [VolumeGen.InputFile("in.txt")] public string In { get; set; } = "";
            }
            """,
    };
}
