using System.Text.Json;

namespace VolumeGen.Samples.HostedWorker;

/// <summary>One job (a file, or a broker message): a tenant's scan of some targets.</summary>
public sealed record ScanJob(string Tenant, string Run, IReadOnlyList<string> Targets, int PaceSeconds = 0)
{
    /// <summary>How jobs, and the broker's stored results, are written: JSON with web defaults (camelCase names).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The scanner set up for this job (a wrapper resolved from DI, one per run).</summary>
    public PacedScanTool ApplyTo(PacedScanTool tool)
    {
        tool.Targets = string.Join('\n', Targets);
        tool.PaceSeconds = PaceSeconds;
        return tool;
    }
}

/// <summary>Where jobs come from and go (the <c>Jobs</c> configuration section).</summary>
public sealed class JobFolders
{
    /// <summary>New jobs (<c>*.json</c>); an interrupted job is put back here.</summary>
    public string Inbox { get; set; } = "jobs/inbox";

    /// <summary>Jobs being run.</summary>
    public string Processing { get; set; } = "jobs/processing";

    /// <summary>Finished jobs, each with its results next to it.</summary>
    public string Done { get; set; } = "jobs/done";

    /// <summary>Jobs whose run failed, each with the error next to it.</summary>
    public string Failed { get; set; } = "jobs/failed";

    /// <summary>How many jobs run at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Stop the host once the inbox is empty and nothing runs (a demo run; a real worker runs on).</summary>
    public bool ExitWhenIdle { get; set; }
}
