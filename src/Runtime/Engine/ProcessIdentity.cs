using System.Diagnostics;
using System.Globalization;

namespace VolumeGen.Engine;

/// <summary>
/// Who created a volume, precisely enough to tell whether that process still runs:
/// <c>host/pid/boot-id/start-ticks</c>, the start time in clock ticks since boot from
/// <c>/proc/&lt;pid&gt;/stat</c>. Nothing here reads the wall clock, so stepping it (NTP, an
/// operator) changes no answer. Where /proc is missing, the process start time stands in.
/// </summary>
internal static class ProcessIdentity
{
    private static readonly string? BootId = ReadBootId();

    public static string Describe(int pid) => $"{Environment.MachineName}/{pid}/{BootId ?? "-"}/{StartOf(pid) ?? "-"}";

    /// <summary>True when <paramref name="owner"/> is a process of this host and boot that is still running.</summary>
    public static bool IsAlive(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length != 4 || parts[0] != Environment.MachineName || parts[2] != (BootId ?? "-") ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false; // another host, another boot, or not ours to read: age and containers decide
        }

        return StartOf(pid) is { } start && start == parts[3];
    }

    /// <summary>Start ticks since boot (Linux), or the start time's ticks elsewhere; null for no such process.</summary>
    private static string? StartOf(int pid)
    {
        if (BootId is not null)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count from the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields.Length > 19 ? fields[19] : null; // field 22 of the line: starttime
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
