using System.CommandLine;
using VolumeGen.Engine;
using VolumeGen.Validation;

namespace VolumeGen.Cli.Commands;

/// <summary><c>volumegen sweep</c>: removes orphans, never a volume a live run uses.</summary>
internal static class SweepCommand
{
    public static Command Create(Option<Uri?> host, Option<bool> json)
    {
        var tenant = Options.Tenant();
        var olderThan = Options.OlderThan(required: true);
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be removed without removing it" };
        var force = new Option<bool>("--force")
        {
            Description = $"Accept a cutoff below {Duration.Format(OrphanVolumeSweeper.DefaultMinimumCutoff)} (only when no other host uses this engine: their live runs are invisible here)",
        };
        var command = new Command("sweep", "Remove VolumeGen volumes and containers left by crashed workers (never one a running container or a live worker uses)")
        {
            tenant, olderThan, dryRun, force,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var asJson = result.GetValue(json);
            // Progress lines go to stderr in JSON mode, so stdout stays one JSON document.
            var progressWriter = asJson ? result.InvocationConfiguration.Error : output;
            var progress = new ImmediateProgress<SweepEntry>(e => progressWriter.WriteLine($"{e.Reason}: {Printable.Of(e.Name)}"));
            var sweeper = new OrphanVolumeSweeper(Options.Connection(result, host))
            {
                MinimumCutoff = result.GetValue(force) ? TimeSpan.Zero : OrphanVolumeSweeper.DefaultMinimumCutoff,
            };
            SweepResult sweep;
            try
            {
                sweep = await sweeper.SweepAsync(result.GetValue(olderThan)!.Value, result.GetValue(tenant), result.GetValue(dryRun), progress, cancellationToken);
            }
            catch (ArgumentOutOfRangeException e) when (e.ParamName == "olderThan")
            {
                result.InvocationConfiguration.Error.WriteLine($"refused: {e.Message.Split(" (Parameter")[0]} (use --force)");
                return 2;
            }


            if (asJson)
            {
                Options.WriteJson(result, sweep);
            }
            else
            {
                foreach (var kept in sweep.Kept)
                {
                    output.WriteLine($"kept: {Printable.Of(kept.Name)} ({Printable.Of(kept.Reason)})");
                }

                foreach (var failure in sweep.Failures)
                {
                    result.InvocationConfiguration.Error.WriteLine($"FAILED: {Printable.Of(failure.Name)}: {Printable.Of(failure.Reason)}");
                }

                output.WriteLine($"{(sweep.DryRun ? "would remove" : "removed")} {sweep.RemovedVolumes.Count} volume(s) and {sweep.RemovedContainers.Count} container(s); kept {sweep.Kept.Count}; {sweep.Failures.Count} failure(s)");
            }

            return sweep.Succeeded ? 0 : 1;
        });
        return command;
    }
}
