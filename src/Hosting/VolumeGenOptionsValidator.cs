using Microsoft.Extensions.Options;

namespace VolumeGen.Hosting;

/// <summary>Refuses settings that cannot work, when the host starts rather than at the first run.</summary>
internal sealed class VolumeGenOptionsValidator : IValidateOptions<VolumeGenOptions>
{
    public ValidateOptionsResult Validate(string? name, VolumeGenOptions options)
    {
        var problems = new List<string>();
        if (options.Endpoint is { Length: > 0 } endpoint && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "http" or "https" or "npipe"))
        {
            problems.Add($"VolumeGen:Endpoint '{endpoint}' is not an engine address (unix:///path, tcp://host:port).");
        }

        Positive(problems, "RequestTimeout", options.RequestTimeout);
        Positive(problems, "TransferInactivityTimeout", options.TransferInactivityTimeout);
        Positive(problems, "StageOutTimeout", options.StageOutTimeout);
        if (options.MaxUnrequestedBytes < 0)
        {
            problems.Add("VolumeGen:MaxUnrequestedBytes must not be negative (0: every output through its own archive).");
        }
        if (options.MaxFileBytes <= 0 || options.MaxTotalBytes <= 0 || options.MaxEntries <= 0)
        {
            problems.Add("VolumeGen:MaxFileBytes, MaxTotalBytes and MaxEntries must be positive.");
        }

        foreach (var credential in options.RegistryCredentials)
        {
            if (string.IsNullOrWhiteSpace(credential.Registry) || (credential.IdentityToken is null && (credential.Username is null || credential.Password is null)))
            {
                problems.Add($"VolumeGen:RegistryCredentials needs a Registry and a Username with a Password (or an IdentityToken) in each entry; '{credential.Registry}' has not.");
            }
        }

        if (options.RegistryCredentials.GroupBy(c => c.Registry, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"VolumeGen:RegistryCredentials names registry '{twice.Key}' more than once.");
        }

        if (options.CleanupAttempts < 1)
        {
            problems.Add("VolumeGen:CleanupAttempts must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(options.LabelPrefix) || string.IsNullOrWhiteSpace(options.HelperImage))
        {
            problems.Add("VolumeGen:LabelPrefix and HelperImage must not be empty.");
        }

        if (options.Sweeper.Enabled)
        {
            Positive(problems, "Sweeper:Period", options.Sweeper.Period);
            if (options.Sweeper.InitialDelay < TimeSpan.Zero)
            {
                problems.Add("VolumeGen:Sweeper:InitialDelay must not be negative.");
            }

            // A shorter cutoff could take the volumes of a live run on another host sharing the engine.
            if (options.Sweeper.OlderThan < OrphanVolumeSweeper.DefaultMinimumCutoff && !options.Sweeper.SingleHost)
            {
                problems.Add($"VolumeGen:Sweeper:OlderThan ({options.Sweeper.OlderThan}) is below {OrphanVolumeSweeper.DefaultMinimumCutoff}: it could sweep a live run of another host. Choose a cutoff longer than the longest run, or set Sweeper:SingleHost when every worker using the engine runs on this host.");
            }
        }

        if (options.BackgroundCleanupCapacity < 1)
        {
            problems.Add("VolumeGen:BackgroundCleanupCapacity must be at least 1.");
        }

        if (options.Health.DegradedLeftovers < 1)
        {
            problems.Add("VolumeGen:Health:DegradedLeftovers must be at least 1.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Positive(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"VolumeGen:{name} must be positive.");
        }
    }
}
