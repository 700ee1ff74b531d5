// Shared by the runtime tests, the integration tests and the benchmarks (linked into each).
namespace VolumeGen.Testing;

/// <summary>What a start script of this repository wrote for the tests (NAME=value lines); a variable of the same name wins.</summary>
internal static class ScriptSettings
{
    public static IReadOnlyDictionary<string, string> Load(string file)
    {
        var settings = new Dictionary<string, string>();
        if (File.Exists(file))
        {
            foreach (var line in File.ReadAllLines(file).Where(l => l.Contains('=')))
            {
                settings[line[..line.IndexOf('=')]] = line[(line.IndexOf('=') + 1)..];
            }
        }

        foreach (var name in settings.Keys.ToList())
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                settings[name] = value;
            }
        }

        return settings;
    }
}
