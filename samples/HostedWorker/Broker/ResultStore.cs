using System.Text.RegularExpressions;

namespace VolumeGen.Samples.HostedWorker.Broker;

/// <summary>
/// Job results by job ID in a folder every worker shares, each stored once: a job whose run happened
/// twice (its worker died after storing, before acknowledging) keeps its first result. A result is
/// written to a temporary file and moved into place without overwriting, which is atomic.
/// </summary>
public sealed partial class ResultStore(string folder)
{
    public string Folder => folder;

    /// <summary>A job ID names a file: letters, digits, '.', '_' and '-', at most 128 characters.</summary>
    public static bool IsValidJobId(string? jobId) => jobId is not null && JobIdPattern().IsMatch(jobId) && jobId is not ("." or "..");

    public bool Contains(string jobId) => File.Exists(PathOf(jobId));

    /// <summary>Stores the result; false when one was stored already (it is kept).</summary>
    public bool TryStore(string jobId, string content)
    {
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{jobId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, content);
        try
        {
            File.Move(temporary, PathOf(jobId), overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(PathOf(jobId)))
        {
            File.Delete(temporary);
            return false;
        }
    }

    private string PathOf(string jobId) => Path.Combine(folder, jobId + ".json");

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex JobIdPattern();
}
