using System.Collections.Immutable;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using VolumeGen.Analyzers;

namespace VolumeGen.Generator.Tests;

/// <summary>
/// Random valid tool declarations (names that are keywords or look like the emitted locals,
/// namespaces, nesting in classes, structs and records, tool classes and records, inheritance from plain bases
/// and from other tools, every property type, random file sets and settings): whatever the
/// declaration rules accept, the generator emits code that compiles with warnings as errors.
/// </summary>
public class GeneratedDeclarationPropertyTests
{
    private static readonly string[] Keywords = ["class", "event", "namespace", "string", "object", "return", "params", "default", "operator", "base", "this"];

    // Names of the generated code's parameters, locals and members, and prefixes of its locals.
    private static readonly string[] LocalLike =
    [
        "context", "cancellationToken", "tool", "owner", "inputs", "outputs", "inputFiles", "Files", "s", "result", "texts", "bytes",
        "failure", "exception", "logger", "RunAsync", "given", "read", "givenA", "readA", "ToolRunResult", "VolumeGen", "global", "System",
    ];

    private static readonly Gen<string> PlainName = Gen.Select(Gen.Char['A', 'Z'], Gen.Char['a', 'z'].Array[0, 6], (first, rest) => first + new string(rest));

    /// <summary>A C# identifier as written in source: '@' before a keyword.</summary>
    private static readonly Gen<string> Name = Gen.Frequency(
        (4, PlainName),
        (2, Gen.OneOf(LocalLike)),
        (1, Gen.OneOf(Keywords).Select(k => "@" + k)));

    private static readonly Gen<string> Segment = Gen.Frequency(
        (6, Gen.Char['a', 'z'].Array[1, 8].Select(c => new string(c))),
        (1, Gen.OneOf("données", "résultat", "名前", "a.b", "-x", "_y", ".hidden", "file..txt", "a b")));

    private static readonly Gen<string> FileName = Segment.Array[1, 3].Select(parts => string.Join("/", parts));

    private static readonly Gen<(string Type, string Initializer)> InputType = Gen.OneOf(
        ("string", " = \"\";"), ("string?", ""), ("byte[]", " = [];"), ("byte[]?", ""),
        ("System.ReadOnlyMemory<byte>", ""), ("System.IO.Stream?", ""), ("System.IO.MemoryStream?", ""));

    private static readonly Gen<Tool> Tools = Gen.Select(
        Gen.Select(Name, Name.Array[0, 2], Gen.OneOf("class", "sealed class", "record", "sealed record", "abstract class")),
        Gen.Select(Gen.Int[0, 2], Gen.OneOf("class", "struct", "record"), Gen.Bool, Gen.Bool),
        Gen.Select(Name.Array[0, 6], Name.Array[0, 4], FileName.Array[0, 10], InputType.Array[6], Gen.Bool.Array[4]),
        Gen.Select(Gen.Int[1, 600], Gen.Bool, Gen.OneOf<string?>(null, "root", "65532", "1000:1000", "nobody")),
        Gen.Select(Name.Array[0, 4], Gen.OneOf("string?", "string", "int", "long?", "bool", "bool?").Array[4], Gen.Bool.Array[4]),
        (shape, nesting, files, settings, environment) => new Tool(shape.Item1, shape.Item2, shape.Item3, nesting.Item1, nesting.Item2, nesting.Item3, nesting.Item4,
            files.Item1, files.Item2, files.Item3, files.Item4, files.Item5, settings.Item1, settings.Item2, settings.Item3,
            environment.Item1, environment.Item2, environment.Item3));

    private static readonly ImmutableArray<DiagnosticAnalyzer> DeclarationRules = [new ContainerToolDeclarationAnalyzer(), new UnsafeFilePathAnalyzer()];

    [Fact]
    public void Every_declaration_the_rules_accept_compiles_with_warnings_as_errors()
    {
        var (accepted, inherited) = (0, 0);
        var refused = new Dictionary<string, int>();
        Tools.Sample(tool =>
        {
            var source = tool.Source();
            var compilation = TestCompilation.Create(source).WithOptions(new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));
            var userErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (userErrors.Count > 0)
            {
                refused[userErrors[0].Id] = refused.GetValueOrDefault(userErrors[0].Id) + 1;
                return; // the random declaration itself is not valid C# (a name clash the generator is not asked about)
            }

            var rules = compilation.WithAnalyzers(DeclarationRules).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            TestCompilation.Driver(trackSteps: false).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            var problems = generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (!rules.IsEmpty)
            {
                refused[rules[0].Id + " " + rules[0].GetMessage()] = refused.GetValueOrDefault(rules[0].Id) + 1;
            }

            if (rules.IsEmpty)
            {
                Assert.True(problems.Count == 0, $"Accepted by the rules but does not compile:\n{source}\n{string.Join("\n", problems)}");
                accepted++;
                inherited += source.Contains(" : ToolBase", StringComparison.Ordinal) ? 1 : 0;
            }
        }, iter: 400, threads: 1);

        // The property means something only if most random declarations are valid and some inherit.
        Assert.True(accepted >= 200 && inherited >= 20, $"{accepted} accepted, {inherited} with a base class; refused: {string.Join(", ", refused.OrderByDescending(r => r.Value).Select(r => $"{r.Key} x{r.Value}"))}");
    }

    /// <summary>One random declaration: the tool type, where it lives, what it derives from, its files and settings.</summary>
    private sealed record Tool(
        string TypeName, string[] Namespace, string Kind, int Nesting, string OuterKind, bool HasPlainBase, bool HasToolBase,
        string[] InputNames, string[] OutputNames, string[] FileNames, (string Type, string Initializer)[] InputTypes, bool[] Flags,
        int Timeout, bool AllowNonZeroExit, string? User,
        string[] VariableNames, string[] VariableTypes, bool[] Secrets)
    {
        private bool IsClass => Kind.EndsWith("class", StringComparison.Ordinal);

        public string Source()
        {
            var names = new Queue<string>(FileNames.Distinct().Where(f => !FileNames.Any(o => o.StartsWith(f + "/", StringComparison.Ordinal))));
            var w = new System.Text.StringBuilder("using VolumeGen;\n");
            if (Namespace.Length > 0)
            {
                w.Append($"namespace {string.Join(".", Namespace)}\n{{\n");
            }

            const string baseName = "ToolBase";
            var inheritsFrom = IsClass && (HasPlainBase || HasToolBase) ? baseName : null;
            if (inheritsFrom is not null)
            {
                // A base with files of its own: a plain class, or a tool whose RunAsync the derived one overrides.
                w.Append(HasToolBase ? $"[ContainerTool(\"base:1\")] public partial class {baseName}\n{{\n" : $"public abstract class {baseName}\n{{\n");
                AppendFile(w, names, "input", "BaseInput", ("string?", ""));
                AppendFile(w, names, "inherited output", "BaseOutput", default);
                w.Append("}\n");
            }

            for (var level = 0; level < Nesting; level++)
            {
                w.Append($"public partial {OuterKind} Outer{level}\n{{\n");
            }

            var settings = new List<string> { $"TimeoutSeconds = {Timeout}" };
            if (AllowNonZeroExit)
            {
                settings.Add("AllowNonZeroExit = true");
            }

            if (User is not null)
            {
                settings.Add($"User = \"{User}\"");
            }

            // Placeholders for an input, an output and a scalar property (each only where one is declared below).
            var placeholders = new[] { FirstUsable(InputNames), FirstUsable(OutputNames), FirstUsable(VariableNames) }.OfType<string>().Select(n => $"\"{{{n.TrimStart('@')}}}\"");
            if (Flags[0])
            {
                settings.Add($"Command = new[] {{ \"-i\", \"/inputs/x\", \"{{{{literal}}}}\", {string.Join(", ", placeholders.Append("\"${HOME}\""))} }}");
            }

            if (Flags[1])
            {
                settings.Add("WorkingDirectory = \"/work\"");
            }

            var (modifier, keyword) = Kind.Split(' ') is [var m, var k] ? (m + " ", k) : ("", Kind);
            w.Append($"[ContainerTool(\"tool:1\", {string.Join(", ", settings)})]\npublic {modifier}partial {keyword} {TypeName}{(inheritsFrom is null ? "" : " : " + inheritsFrom)}\n{{\n");
            var used = new HashSet<string>(StringComparer.Ordinal) { TypeName.TrimStart('@'), "BaseInput", "BaseOutput", baseName };
            for (var i = 0; i < InputNames.Length; i++)
            {
                if (used.Add(InputNames[i].TrimStart('@')))
                {
                    AppendFile(w, names, "input", InputNames[i], InputTypes[i]);
                }
            }

            foreach (var (output, index) in OutputNames.Select((o, i) => (o, i)))
            {
                if (used.Add(output.TrimStart('@')))
                {
                    AppendFile(w, names, index == 1 && Flags[3] ? "folder" : Flags[2] ? "optional" : "output", output, default);
                }
            }

            var variableNames = new[] { "REGION", "THREADS", "_TOKEN", "A1" };
            for (var i = 0; i < VariableNames.Length; i++)
            {
                if (used.Add(VariableNames[i].TrimStart('@')))
                {
                    w.Append($"    [EnvironmentVariable(\"{variableNames[i]}\"{(Secrets[i] ? ", Secret = true" : "")})] public {VariableTypes[i]} {VariableNames[i]} {{ get; set; }}{(VariableTypes[i] == "string" ? " = \"\";" : "")}\n");
                }
            }

            w.Append("}\n");
            for (var level = 0; level < Nesting; level++)
            {
                w.Append("}\n");
            }

            if (Namespace.Length > 0)
            {
                w.Append("}\n");
            }

            return w.ToString();
        }

        /// <summary>The first name that is not the type's own or a base property's (those are skipped when declared).</summary>
        private string? FirstUsable(string[] candidates) =>
            candidates.FirstOrDefault(n => n.TrimStart('@') != TypeName.TrimStart('@') && n.TrimStart('@') is not ("BaseInput" or "BaseOutput" or "ToolBase"));

        private void AppendFile(System.Text.StringBuilder w, Queue<string> names, string kind, string property, (string Type, string Initializer) input)
        {
            if (!names.TryDequeue(out var file))
            {
                return;
            }

            var literal = SymbolDisplay.FormatLiteral(file, quote: true);
            w.Append(kind switch
            {
                "input" => $"    [InputFile({literal})] public {input.Type} {property} {{ get; set; }}{input.Initializer}\n",
                "optional" => $"    [OutputFile({literal}, Optional = true)] public {(Flags[3] ? "byte[]?" : "string?")} {property} {{ get; private set; }}\n",
                "folder" => $"    [OutputDirectory({literal}, Optional = {(Flags[2] ? "true" : "false")})] public System.Collections.Generic.IReadOnlyDictionary<string, {(Flags[0] ? "byte[]" : "string")}>? {property} {{ get; private set; }}\n",
                "inherited output" => $"    [OutputFile({literal})] public string? {property} {{ get; protected set; }}\n",
                _ => $"    [OutputFile({literal})] public {(Flags[3] ? "byte[]?" : "string?")} {property} {{ get; private set; }}\n",
            });
        }
    }
}
