using System.CommandLine;
using VolumeGen.Validation;

namespace VolumeGen.Cli.Commands;

/// <summary><c>volumegen ls</c>: VolumeGen's volumes and containers, found by label.</summary>
internal static class ListCommand
{
    public static Command Create(Option<Uri?> host, Option<bool> json)
    {
        var tenant = Options.Tenant();
        var olderThan = Options.OlderThan(required: false);
        var command = new Command("ls", "List the volumes and helper/tool containers VolumeGen created (by label), with tenant, run, age, size and use") { tenant, olderThan };
        command.SetAction(async (result, cancellationToken) =>
        {
            var connection = Options.Connection(result, host);
            var sweeper = new OrphanVolumeSweeper(connection);
            var now = DateTimeOffset.UtcNow;
            bool Old(DateTimeOffset? created) => result.GetValue(olderThan) is not { } age || created <= now - age;
            var volumes = (await sweeper.ListVolumesAsync(result.GetValue(tenant), cancellationToken)).Where(v => Old(v.CreatedAt)).ToList();
            var containers = (await sweeper.ListContainersAsync(result.GetValue(tenant), cancellationToken)).Where(c => Old(c.CreatedAt)).ToList();
            var sizes = await DiskUsage.VolumeSizesAsync(connection.ResolvedEndpoint, cancellationToken);

            var rows = volumes.Select(v => new
            {
                v.Name, Tenant = v.TenantId, Run = v.RunId, v.CreatedAt,
                AgeSeconds = v.CreatedAt is { } c ? (long?)(now - c).TotalSeconds : null,
                SizeBytes = sizes.TryGetValue(v.Name, out var size) ? size : (long?)null,
                v.InUse, v.OwnerAlive, Containers = v.ContainerIds.Count,
            }).ToList();
            if (result.GetValue(json))
            {
                Options.WriteJson(result, new { volumes = rows, containers });
                return 0;
            }

            var output = result.InvocationConfiguration.Output;
            output.WriteLine($"{"VOLUME",-70} {"TENANT",-20} {"RUN",-16} {"AGE",8} {"SIZE",10} {"IN USE",6} OWNER");
            foreach (var row in rows)
            {
                output.WriteLine($"{Printable.Of(row.Name),-70} {Printable.Of(row.Tenant),-20} {Printable.Of(row.Run),-16} {Age(row.CreatedAt, now),8} {Size(row.SizeBytes),10} {(row.InUse ? "yes" : "no"),6} {(row.OwnerAlive ? "alive" : "gone/unknown")}");
            }

            output.WriteLine();
            output.WriteLine($"{"CONTAINER",-14} {"ROLE",-7} {"TENANT",-20} {"RUN",-16} {"STATE",-10} {"AGE",8} VOLUME");
            foreach (var container in containers)
            {
                output.WriteLine($"{container.Id[..12],-14} {Printable.Of(container.Role),-7} {Printable.Of(container.TenantId),-20} {Printable.Of(container.RunId),-16} {Printable.Of(container.State),-10} {Age(container.CreatedAt, now),8} {Printable.Of(container.VolumeName)}");
            }

            output.WriteLine($"{rows.Count} volume(s), {containers.Count} container(s)");
            return 0;
        });
        return command;
    }

    private static string Age(DateTimeOffset? created, DateTimeOffset now) => created is { } c ? Duration.Format(now - c) : "?";

    private static string Size(long? bytes) => bytes switch
    {
        null => "-",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MiB",
    };
}
