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

    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>The nearest-rank percentile (with few samples p99 is the maximum: read it as such).</summary>
    public static double Percentile(IEnumerable<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public async Task SaveAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, _lines.ToString());
        Console.WriteLine($"(written to {path})");
    }
}
