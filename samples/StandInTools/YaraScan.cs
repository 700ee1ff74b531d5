namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// YARA rules over a folder of samples: rules.yar and samples/ in, one "rule path" line per match
/// out. The image runs as root; VolumeGen runs it as 65532:65532 and owns the volumes accordingly.
/// </summary>
[ContainerTool(DebianToolImages.Yara,
    Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "yara --recursive /inputs/rules.yar /inputs/samples > /outputs/matches.txt" },
    TimeoutSeconds = 120)]
public sealed partial class YaraScan
{
    /// <summary>The rules, in YARA's language.</summary>
    [InputFile("rules.yar")] public string Rules { get; set; } = "";

    /// <summary>First sample (null: not written).</summary>
    [InputFile("samples/one.bin")] public byte[]? SampleOne { get; set; }

    /// <summary>Second sample.</summary>
    [InputFile("samples/two.bin")] public byte[]? SampleTwo { get; set; }

    /// <summary>Third sample, in a subfolder.</summary>
    [InputFile("samples/nested/three.bin")] public byte[]? SampleThree { get; set; }

    /// <summary>yara's output.</summary>
    [OutputFile("matches.txt")] public string? MatchesText { get; private set; }

    /// <summary>(rule, sample path relative to the samples folder) per match, sorted.</summary>
    public IReadOnlyList<(string Rule, string Sample)> Matches =>
        (MatchesText ?? throw new InvalidOperationException("Run the scan first."))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0], parts[1].Replace("/inputs/samples/", "", StringComparison.Ordinal)))
            .OrderBy(m => m.Item1, StringComparer.Ordinal).ThenBy(m => m.Item2, StringComparer.Ordinal)
            .ToList();
}
