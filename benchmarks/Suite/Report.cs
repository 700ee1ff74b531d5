using System.Text;

namespace VolumeGen.Benchmarks;

/// <summary>Collects result lines (machine readable <c>key=value</c>) and the table, prints and saves them.</summary>
internal sealed class Report
{
    private readonly StringBuilder _lines = new();

    public void Line(string text)
    {
        Console.WriteLine(text);
        _lines.AppendLine(text);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    public async Task SaveAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, _lines.ToString());
        Console.WriteLine($"(written to {path})");
    }
}
