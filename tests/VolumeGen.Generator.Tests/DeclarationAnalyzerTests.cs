using VolumeGen.Analyzers;

namespace VolumeGen.Generator.Tests;

/// <summary>The declaration rules: each invalid shape is reported exactly where it is wrong.</summary>
public class DeclarationAnalyzerTests
{
    [Fact]
    public Task The_contract_example_is_clean() => VerifyAsync(ToolSources.Contract);

    [Fact]
    public async Task Every_golden_case_is_clean()
    {
        foreach (var source in ToolSources.All.Values)
        {
            await VerifyAsync(source);
        }
    }

    [Fact]
    public Task Not_partial() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1")]
        public class {|VG0100:Tool|} { }
        """);

    [Fact]
    public Task Containing_type_not_partial() => VerifyAsync("""
        public class {|VG0100:Outer|}
        {
            [VolumeGen.ContainerTool("t:1")]
            public partial class Tool { }
        }
        """);

    [Fact]
    public Task Duplicate_input_names() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1")]
        public partial class Tool
        {
            [VolumeGen.InputFile("a.txt")] public string A { get; set; } = "";
            [VolumeGen.InputFile({|VG0101:"a.txt"|})] public byte[]? B { get; set; }
        }
        """);

    [Fact]
    public Task The_same_name_as_input_and_output_is_two_files_in_two_volumes() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1")]
        public partial class Tool
        {
            [VolumeGen.InputFile("data.json")] public string A { get; set; } = "";
            [VolumeGen.OutputFile("data.json")] public string? B { get; private set; }
        }
        """);

    [Fact]
    public Task Inherited_file_properties_must_be_reachable_and_unique() => VerifyAsync("""
        public class Base
        {
            [VolumeGen.InputFile("a.txt")] private string A { get; set; } = "";
            [VolumeGen.OutputFile("b.txt")] public string? B { get; private set; }
            [VolumeGen.InputFile("c.txt")] protected string C { get; set; } = "";
        }

        [VolumeGen.ContainerTool("t:1")]
        public partial class {|VG0103:{|VG0103:Tool|}|} : Base
        {
            [VolumeGen.InputFile({|VG0101:"c.txt"|})] public string D { get; set; } = "";
        }
        """);

    [Fact]
    public Task Unsupported_property_shapes() => VerifyAsync("""
        #nullable enable
        [VolumeGen.ContainerTool("t:1")]
        public partial class Tool
        {
            [VolumeGen.InputFile("n.txt")] public int {|VG0103:Count|} { get; set; }
            [VolumeGen.OutputFile("o.txt")] public string? {|VG0103:InitOnly|} { get; init; }
            [VolumeGen.OutputFile("p.txt")] public System.IO.Stream? StreamOut { get; private set; } // a destination the file is copied into
            [VolumeGen.OutputFile("q.txt", Optional = true)] public string {|VG0103:NotNullable|} { get; private set; } = "";
            [VolumeGen.InputFile("r.txt"), VolumeGen.OutputFile("s.txt")] public string? {|VG0103:Both|} { get; set; }
        }
        """);

    [Fact]
    public Task A_namespace_named_like_a_runtime_type_under_VolumeGen_is_reported() => VerifyAsync("""
        namespace VolumeGen.ToolRunResult
        {
            [VolumeGen.ContainerTool("t:1")]
            public partial class {|VG0105:Tool|}
            {
                [VolumeGen.InputFile("in.txt")] public string In { get; set; } = "";
            }
        }

        namespace VolumeGen.Tools
        {
            // Every tool's generated code names global::VolumeGen.ToolRunResult: this one breaks too.
            [VolumeGen.ContainerTool("t:1")]
            public partial class {|VG0105:Elsewhere|}
            {
                [VolumeGen.InputFile("in.txt")] public string In { get; set; } = "";
            }
        }
        """);

    [Fact]
    public Task Indexers_and_explicit_interface_implementations_cannot_carry_files_or_variables() => VerifyAsync("""
        #nullable enable
        namespace Ns
        {
            public interface IHasTargets { string Targets { get; set; } string? Report { get; set; } string Token { get; set; } }

            [VolumeGen.ContainerTool("t:1")]
            public partial class Tool : IHasTargets
            {
                [VolumeGen.InputFile("targets.txt")] string IHasTargets.{|VG0103:Targets|} { get; set; } = "";
                [VolumeGen.OutputFile("report.txt")] string? IHasTargets.{|VG0103:Report|} { get; set; }
                [VolumeGen.EnvironmentVariable("TOKEN")] string IHasTargets.{|VG0103:Token|} { get; set; } = "";
                [VolumeGen.InputFile("item.txt")] public string {|VG0103:this|}[int i] { get => ""; set { } }
            }
        }
        """);

    [Fact]
    public Task An_optional_output_may_be_non_nullable_where_nullability_is_off() => VerifyAsync("""
        #nullable disable
        [VolumeGen.ContainerTool("t:1")]
        public partial class Tool
        {
            [VolumeGen.OutputFile("q.txt", Optional = true)] public string Oblivious { get; private set; }
        }
        """);

    [Fact]
    public Task Generic_and_static_tools() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1")]
        public partial class {|VG0104:Generic|}<T> { }

        [VolumeGen.ContainerTool("t:1")]
        public static partial class {|VG0104:Static|} { }
        """);

    [Fact]
    public Task Invalid_configuration() => VerifyAsync("""
        [{|VG0105:VolumeGen.ContainerTool("")|}]
        public partial class EmptyImage { }

        [VolumeGen.ContainerTool("t:1", InputMount = "/data", {|VG0105:OutputMount = "/data/"|})]
        public partial class SameMount { }

        [VolumeGen.ContainerTool("t:1", {|VG0105:TimeoutSeconds = 0|})]
        public partial class NoTime { }

        [{|VG0105:VolumeGen.ContainerTool("Scanner:1")|}]
        public partial class UppercaseImage { }

        [{|VG0105:VolumeGen.ContainerTool("scanner:1 --privileged")|}]
        public partial class NotAReference { }

        [VolumeGen.ContainerTool("t:1", {|VG0105:ImageDigest = "sha256:abc"|})]
        public partial class ShortDigest { }

        [VolumeGen.ContainerTool("t:1", {|VG0105:PullPolicy = (VolumeGen.ImagePullPolicy)7|})]
        public partial class UnknownPolicy { }

        [VolumeGen.ContainerTool("t:1", InputMount = "/data", {|VG0105:OutputMount = "/data/out"|})]
        public partial class NestedMounts { }

        [VolumeGen.ContainerTool("t:1", {|VG0105:TimeoutSeconds = int.MaxValue|})]
        public partial class LongerThanATimerCanWait { }

        [VolumeGen.ContainerTool("t:1")]
        public partial class FileAndFolder
        {
            [VolumeGen.InputFile("a")] public string A { get; set; } = "";
            [VolumeGen.InputFile({|VG0105:"a/b"|})] public string B { get; set; } = "";
            [VolumeGen.OutputFile("x/y.txt")] public string? X { get; private set; }
            [VolumeGen.OutputFile({|VG0105:"x"|})] public string? Y { get; private set; }
        }
        """);

    [Fact]
    public Task Mount_targets_that_are_taken() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1", {|VG0003:OutputMount = "/tmp"|})]
        public partial class OverTmp { }

        [VolumeGen.ContainerTool("t:1", {|VG0003:InputMount = "/proc/data"|})]
        public partial class OverProc { }
        """);

    [Fact]
    public Task Unsafe_file_names_and_mount_targets() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1", {|VG0003:InputMount = "inputs"|})]
        public partial class Tool
        {
            [VolumeGen.InputFile({|VG0003:"../escape.txt"|})] public string A { get; set; } = "";
            [VolumeGen.InputFile({|VG0003:"/etc/passwd"|})] public string B { get; set; } = "";
            [VolumeGen.OutputFile({|VG0003:"a\\b.txt"|})] public string? C { get; private set; }
            [VolumeGen.OutputFile("sub/ok.txt")] public string? D { get; private set; }
        }
        """);

    [Fact]
    public Task Classes_without_the_attribute_are_ignored() => VerifyAsync("""
        public class Plain { public string A { get; set; } = ""; }
        """);

    [Fact]
    public Task A_file_local_tool_cannot_have_a_generated_part() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1")]
        file partial class {|VG0104:Tool|} { }
        """);

    [Fact]
    public Task A_project_below_CSharp_11_is_told_why_nothing_is_generated() => Verify.AnalyzerAsync<ContainerToolDeclarationAnalyzer>(
        """
        [{|VG0105:VolumeGen.ContainerTool("t:1")|}]
        public partial class Tool
        {
            [VolumeGen.InputFile("a.txt")] public string A { get; set; }
        }
        """,
        languageVersion: Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp10);

    [Fact]
    public Task The_name_of_the_generated_method_must_be_free() => VerifyAsync("""
        namespace N
        {
            [VolumeGen.ContainerTool("t:1")]
            public partial class {|VG0105:RunAsync|} { }

            public class Plain { public string {|VG0105:RunAsync|} { get; set; } = ""; }

            [VolumeGen.ContainerTool("t:1")]
            public partial class Derived : Plain { }

            [VolumeGen.ContainerTool("t:1")]
            public partial class Own
            {
                public int {|VG0105:RunAsync|};
            }

            [VolumeGen.ContainerTool("t:1")]
            public partial class Overload
            {
                public System.Threading.Tasks.Task RunAsync(int other) => System.Threading.Tasks.Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task The_name_of_the_generated_definition_field_must_be_free() => VerifyAsync("""
        namespace N
        {
            [VolumeGen.ContainerTool("t:1")]
            public partial class {|VG0105:VolumeGenDefinition|} { }

            public class Visible { protected static int {|VG0105:VolumeGenDefinition|}; }

            [VolumeGen.ContainerTool("t:1")]
            public partial class Hiding : Visible { }

            public class Hidden { private static int VolumeGenDefinition = 0; public int Read() => VolumeGenDefinition; }

            [VolumeGen.ContainerTool("t:1")]
            public partial class NotHiding : Hidden { }

            [VolumeGen.ContainerTool("t:1")]
            public partial class Own
            {
                public void {|VG0105:VolumeGenDefinition|}() { }
            }

            [VolumeGen.ContainerTool("t:1")]
            public partial class BaseTool { }

            [VolumeGen.ContainerTool("t:2")]
            public partial class DerivedTool : BaseTool { }
        }
        """);

    [Fact]
    public Task The_name_of_the_generated_outputs_class_must_be_free() => VerifyAsync("""
        #nullable enable
        namespace N
        {
            [VolumeGen.ContainerTool("t:1")]
            public partial class {|VG0105:VolumeGenOutputs|} { }

            public class Visible { protected class {|VG0105:VolumeGenOutputs|} { } }

            [VolumeGen.ContainerTool("t:1")]
            public partial class Hiding : Visible { }

            [VolumeGen.ContainerTool("t:1")]
            public partial class Own
            {
                [VolumeGen.OutputFile("out.txt")]
                public string? {|VG0105:VolumeGenOutputs|} { get; set; }
            }

            [VolumeGen.ContainerTool("t:1")]
            public partial class BaseTool
            {
                [VolumeGen.OutputFile("a.txt")]
                public string A { get; set; } = "";
            }

            [VolumeGen.ContainerTool("t:2")]
            public partial class DerivedTool : BaseTool
            {
                [VolumeGen.OutputFile("b.txt")]
                public string B { get; set; } = "";
            }
        }
        """);

    [Fact]
    public Task Output_folders_need_a_dictionary_property_and_may_hold_output_files() => VerifyAsync("""
        #nullable enable
        using System.Collections.Generic;

        [VolumeGen.ContainerTool("t:1")]
        public partial class Tool
        {
            [VolumeGen.OutputDirectory("reports")] public IReadOnlyDictionary<string, string> Reports { get; private set; } = new Dictionary<string, string>();
            [VolumeGen.OutputDirectory("raw")] public IReadOnlyDictionary<string, byte[]>? Raw { get; private set; }
            [VolumeGen.OutputFile("reports/summary.json")] public string Summary { get; private set; } = "";
            [VolumeGen.OutputDirectory("list")] public List<string> {|VG0103:List|} { get; private set; } = new();
            [VolumeGen.OutputDirectory("dict")] public Dictionary<string, string> {|VG0103:Mutable|} { get; private set; } = new();
            [VolumeGen.OutputDirectory("ints")] public IReadOnlyDictionary<string, int> {|VG0103:Numbers|} { get; private set; } = new Dictionary<string, int>();
            [VolumeGen.OutputDirectory("init")] public IReadOnlyDictionary<string, string> {|VG0103:InitOnly|} { get; init; } = new Dictionary<string, string>();
            [VolumeGen.OutputDirectory("maybe", Optional = true)] public IReadOnlyDictionary<string, string> {|VG0103:NotNullable|} { get; private set; } = new Dictionary<string, string>();
            [VolumeGen.OutputFile("both.txt")][VolumeGen.OutputDirectory("both")] public string {|VG0103:Both|} { get; private set; } = "";
            [VolumeGen.OutputDirectory({|VG0003:"../up"|})] public IReadOnlyDictionary<string, string>? Up { get; private set; }
            [VolumeGen.OutputDirectory({|VG0101:"reports"|})] public IReadOnlyDictionary<string, string>? Again { get; private set; }
            [VolumeGen.OutputFile("file")] public string File { get; private set; } = "";
            [VolumeGen.OutputDirectory({|VG0105:"file/sub"|})] public IReadOnlyDictionary<string, string>? UnderAFile { get; private set; }
        }
        """);

    [Fact]
    public Task A_global_type_named_like_a_namespace_the_generated_code_uses() => VerifyAsync("""
        public class System { }

        namespace N
        {
            [VolumeGen.ContainerTool("t:1")]
            public partial class {|VG0105:Tool|} { }
        }
        """);

    [Fact]
    public Task Environment_variables_need_a_valid_unique_name_and_a_supported_type() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1")]
        public partial class Tool
        {
            [VolumeGen.EnvironmentVariable({|VG0105:"1ST"|})] public string? A { get; set; }
            [VolumeGen.EnvironmentVariable({|VG0105:"A=B"|})] public string? B { get; set; }
            [VolumeGen.EnvironmentVariable("REGION")] public string? C { get; set; }
            [VolumeGen.EnvironmentVariable({|VG0105:"REGION"|})] public string? D { get; set; }
            [VolumeGen.EnvironmentVariable("RATE")] public double {|VG0103:E|} { get; set; }
            [VolumeGen.InputFile("f.txt")] [VolumeGen.EnvironmentVariable("F")] public string? {|VG0103:F|} { get; set; }
        }
        """);

    [Fact]
    public Task A_placeholder_must_name_a_file_or_a_scalar_property() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1", {|VG0105:{|VG0105:Command = new[] { "-l", "{Targest}", "-o", "{Options}" }|}|})]
        public partial class Tool
        {
            [VolumeGen.InputFile("targets.txt")] public string Targets { get; set; } = "";
            public double[] Options { get; set; } = [];
        }
        """);

    [Fact]
    public Task Limits_and_network_that_would_switch_a_protection_off() => VerifyAsync("""
        [VolumeGen.ContainerTool("t:1", {|VG0105:MemoryBytes = -1|}, {|VG0105:PidsLimit = -1|}, {|VG0105:CpuLimit = 2000|}, {|VG0105:NetworkMode = ""|})]
        public partial class Tool { }
        """);

    private static Task VerifyAsync(string source) => Verify.AnalyzerAsync<ContainerToolDeclarationAnalyzer>(source);
}
