using System.Globalization;
using System.Text.RegularExpressions;

namespace VolumeGen.Cli;

/// <summary>Durations as operators type them: <c>2h</c>, <c>90m</c>, <c>1h30m</c>, <c>45s</c>, <c>7d</c>, <c>0s</c>.</summary>
internal static partial class Duration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = Pattern().Match(text.Trim());
        if (!match.Success || match.Length == 0)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var value = double.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            duration += part.Value[^1] switch
            {
                'd' => TimeSpan.FromDays(value),
                'h' => TimeSpan.FromHours(value),
                'm' => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromSeconds(value),
            };
        }

        return true;
    }

    public static string Format(TimeSpan age) => age switch
    {
        { TotalDays: >= 1 } => $"{(int)age.TotalDays}d{age.Hours}h",
        { TotalHours: >= 1 } => $"{(int)age.TotalHours}h{age.Minutes}m",
        { TotalMinutes: >= 1 } => $"{(int)age.TotalMinutes}m{age.Seconds}s",
        _ => $"{(int)age.TotalSeconds}s",
    };

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[dhms])+$")]
    private static partial Regex Pattern();
}
