// Generator time on a compilation with 1,000 [ContainerTool] classes: a cold run (new driver) and
// a run after a one-line edit (a method body in one tool), each against a baseline measured in the
// same process: binding the same compilation (GetDiagnostics), which every build pays anyway.
// Usage: dotnet run -c Release --project benchmarks/Generator -- [--tools N] [--iterations N] [--quick]
using System.Diagnostics;
using System.Globalization;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VolumeGen;
using VolumeGen.Generator;

var quick = args.Contains("--quick");
var tools = Option("--tools", 1000);
var iterations = Option("--iterations", quick ? 3 : 10);

var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
var trees = Enumerable.Range(0, tools).Select(i => CSharpSyntaxTree.ParseText(Tool(i, 42), parse, path: $"Tool{i}.cs")).ToList();
MetadataReference[] references =
[
    .. Net100.References.All,
    MetadataReference.CreateFromFile(typeof(IsolatedContainerVolume).Assembly.Location),
    MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
];
var compilation = CSharpCompilation.Create("Bench", trees, references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
var edited = compilation.ReplaceSyntaxTree(trees[tools / 2], CSharpSyntaxTree.ParseText(Tool(tools / 2, 43), parse, path: $"Tool{tools / 2}.cs"));

var cold = new List<double>();
var incremental = new List<double>();
var binding = new List<double>();
for (var i = 0; i < iterations + 1; i++)
{
    var watch = Stopwatch.StartNew();
    var driver = CSharpGeneratorDriver.Create([new ContainerToolGenerator().AsSourceGenerator()], parseOptions: parse).RunGenerators(compilation);
    var coldMs = watch.Elapsed.TotalMilliseconds;
    watch.Restart();
    driver = driver.RunGenerators(edited);
    var incrementalMs = watch.Elapsed.TotalMilliseconds;
    if (driver.GetRunResult().GeneratedTrees.Length != tools)
    {
        throw new InvalidOperationException("The generator did not emit one file per tool.");
    }

    watch.Restart();
    _ = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(trees).GetDiagnostics();
    var bindingMs = watch.Elapsed.TotalMilliseconds;
    if (i > 0) // the first round warms up the JIT
    {
        cold.Add(coldMs);
        incremental.Add(incrementalMs);
        binding.Add(bindingMs);
    }
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var report = string.Join('\n',
    $"generator: {tools} tool classes, {iterations} iterations, median ms",
    $"cold_generator_ms={Median(cold):0.0}",
    $"after_one_line_edit_generator_ms={Median(incremental):0.0}",
    $"baseline_binding_ms={Median(binding):0.0}",
    $"ratio_cold_vs_binding={Median(cold) / Median(binding):0.00}",
    $"ratio_edit_vs_cold={Median(incremental) / Median(cold):0.00}");
Console.WriteLine(report);
Directory.CreateDirectory("artifacts");
await File.WriteAllTextAsync("artifacts/generator-benchmark.txt", report + "\n");

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string Tool(int i, int body) => $$"""
    using VolumeGen;

    namespace Bench.Tools{{i % 10}};

    [ContainerTool("bench/tool{{i}}:1", Command = new[] { "-l", "/inputs/in.txt", "-o", "/outputs/out.json" }, User = "65532")]
    public partial class Tool{{i}}
    {
        [InputFile("in.txt")] public string In { get; set; } = "";
        [InputFile("config/settings.yaml")] public byte[]? Settings { get; set; }
        [OutputFile("out.json")] public string? Out { get; private set; }
        [OutputFile("debug.log", Optional = true)] public string? Debug { get; private set; }

        public int Compute() => {{body}};
    }
    """;
