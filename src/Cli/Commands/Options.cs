using System.CommandLine;
using System.Text.Json;
using VolumeGen.Validation;

namespace VolumeGen.Cli.Commands;

/// <summary>Options and output helpers shared by the commands.</summary>
internal static class Options
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>A tenant ID, checked by the one rule every path uses: a parse error, not an engine filter.</summary>
    public static Option<string?> Tenant() => new("--tenant", "-t")
    {
        Description = "Only this tenant's volumes and containers",
        CustomParser = r => r.Tokens.Single().Value is var tenant && IdentifierRules.GetProblem(tenant) is { } problem
            ? VolumeGenCli.Fail<string?>(r, $"--tenant '{Printable.Of(tenant)}' is not a tenant ID: {problem}")
            : tenant,
    };

    public static Option<TimeSpan?> OlderThan(bool required) => new("--older-than")
    {
        Description = "Only what was created longer ago than this, e.g. 2h, 90m, 1h30m, 7d",
        Required = required,
        CustomParser = r => Duration.TryParse(r.Tokens.Single().Value, out var age)
            ? age
            : VolumeGenCli.Fail<TimeSpan?>(r, $"'{r.Tokens.Single().Value}' is not a duration; use e.g. 2h, 90m, 1h30m, 45s, 7d"),
    };

    public static DockerConnectionOptions Connection(ParseResult result, Option<Uri?> host) =>
        new() { Endpoint = result.GetValue(host) };

    public static void WriteJson(ParseResult result, object value) =>
        result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(value, Json));
}
