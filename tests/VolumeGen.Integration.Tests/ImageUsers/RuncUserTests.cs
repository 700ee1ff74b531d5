using System.Formats.Tar;
using CsCheck;
using Docker.DotNet;
using Docker.DotNet.Models;
using VolumeGen.Samples.StandInTools;
using VolumeGen.Testing.Users;
using VolumeGen.Users;

namespace VolumeGen.Integration.Tests.ImageUsers;

/// <summary>
/// User resolution against the engine: what <c>id</c> prints in a container started with the user
/// spec as is (runc's own lookup over the image's files) is what the resolver computed, on generated
/// account files and on the cases that once ran a tool as root without asking.
/// </summary>
public class RuncUserTests
{
    private static readonly AccountCases.Case[] Pinned =
    [
        new("1000:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n", "", "1000"),
        new("app:x:1000:1000::/:/bin/sh\n", "2000:x:0:\nother:x:2000:\n", "app:2000"),
        new("app:x:1000:1000::/:/bin/sh\n", "app:x:1000:\nscan:x:3000:other,app\n# x:x:4000:app\nroot:x:0:app\n", "app"),
        new(" app:x:007:abc \r\n", "", "app"),
        new("app\n", "", "app"),
        new("", "", "-0:007"),
        new("svc:x:1000:1000\n", "", "ghost"),
        new("svc:x:1000:1000\n", "", "svc:ghosts"),
        // A supplementary group whose number names another group first: the engine would add gid 0.
        new("app:x:1000:1000::/:/bin/sh\n", "3000:x:0:\nscan:x:3000:app\n", "app"),
        // The user listed in its own primary group, and a later line named like that gid: a second
        // mention of 1000 would reach it (so the primary group is never repeated in GroupAdd).
        new("app:x:1000:1000::/:/bin/sh\n", "app:x:1000:app\n1000:x:0:\n", "app"),
    ];

    [Fact]
    public async Task What_runc_gives_a_container_and_what_a_tool_gets_are_what_the_resolver_computed()
    {
        var client = await DockerEngine.ClientAsync();
        await BusyboxImage.EnsureAsync(client);
        var tenant = DockerEngine.NewTenant();
        var generated = AccountCases.Cases.Where(c => UserSpec.GetProblem(c.Spec) is null).Array[12].Single();
        var images = new HashSet<string>();
        try
        {
            await CheckAllAsync(client, tenant, Pinned.Concat(generated), images);
        }
        finally
        {
            foreach (var image in images)
            {
                await client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true });
            }
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    private static async Task CheckAllAsync(IDockerClient client, string tenant, IEnumerable<AccountCases.Case> cases, HashSet<string> images)
    {
        var podman = await DockerEngine.IsPodmanAsync();
        foreach (var c in cases)
        {
            var accounts = ImageAccounts.Parse(RuncUserLookup.Bytes(c.Passwd), RuncUserLookup.Bytes(c.Group));
            var (resolved, missing) = UserSpec.Parse(c.Spec).Resolve(accounts);
            var outOfRange = resolved is not null && new[] { resolved.Uid, resolved.Gid }.Concat(resolved.SupplementaryGroups).Any(id => id is < 0 or > UserSpec.MaxId);

            // runc's own lookup, given the spec as is: the same uid and gid, or the same refusal. Podman
            // has its own lookup, which reads a signed number ("-0") as a name; VolumeGen only ever
            // hands an engine plain numbers, so that difference never reaches a tool.
            var compareRaw = !outOfRange && !(podman && c.Spec.Split(':').Any(part => part[0] is '-' or '+'));
            var raw = compareRaw ? await IdAsync(client, c) : null;
            if (compareRaw)
            {
                // The engine may also fail to start what runc's lookup resolved, when its own group lookup
                // (by name first, before Docker 25) lands on a bad line: then VolumeGen refuses the image too.
                Assert.True((raw is null) == (resolved is null) || (resolved is not null && Expected(c, resolved, outOfRange) == typeof(UnsafeImageConfigException)),
                    $"runc gave {raw?.ToString() ?? "no user"}, the resolver {resolved?.ToString() ?? "no " + missing}\n{c}");
                Assert.True(raw is null || (raw.Value.Uid, raw.Value.Gid) == (resolved!.Uid, resolved.Gid), $"runc gave {raw}, the resolver {resolved}\n{c}");
            }

            // Through VolumeGen: the user and groups the tool really gets, or the typed refusal.
            var image = await CaseImageAsync(client, c);
            var spec = new ToolRunSpec(image) { User = c.Spec, Entrypoint = ["/bin/sh", "-c"], Command = ["grep -E '^(Uid|Gid|Groups):' /proc/self/status"], TenantId = tenant };
            ToolRunResult? result = null;
            Exception? error = null;
            try
            {
                result = await Tools.Runner.RunAsync(spec);
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                images.Add(image);
            }

            switch (Expected(c, resolved, outOfRange))
            {
                case { } refusal:
                    Assert.True(error?.GetType() == refusal, $"expected {refusal.Name}, got {error?.ToString() ?? "a run"}\n{c}");
                    break;
                default:
                    Assert.True(error is null, $"{error}\n{c}");
                    var status = result!.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                        .ToDictionary(line => line[..line.IndexOf(':')], line => line[(line.IndexOf(':') + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList());
                    Assert.True((status["Uid"][0], status["Gid"][0]) == (resolved!.Uid, resolved.Gid), $"the tool ran as {status["Uid"][0]}:{status["Gid"][0]}, resolved {resolved}\n{c}");
                    Assert.True(status["Groups"].ToHashSet().SetEquals(resolved.SupplementaryGroups.Append(resolved.Gid)),
                        $"the tool got groups {string.Join(',', status["Groups"])}, resolved {resolved.Gid} + {string.Join(',', resolved.SupplementaryGroups)}\n{c}");
                    break;
            }
        }
    }

    /// <summary>
    /// The refusal VolumeGen owes a case, or null when the tool must run as resolved: the last rule is
    /// what runc 1.1 (Docker before 25) would give a tool run as the numeric uid:gid with the other
    /// groups added, computed by the oracle's own port of its lookup.
    /// </summary>
    private static Type? Expected(AccountCases.Case c, ResolvedUser? resolved, bool outOfRange)
    {
        if (resolved is null)
        {
            return typeof(ToolUserNotFoundException);
        }

        if (outOfRange)
        {
            return typeof(UnsafeImageConfigException);
        }

        if (resolved.Uid == 0 && !UserSpec.Parse(c.Spec).AsksForRoot)
        {
            return typeof(UnsafeToolSpecException);
        }

        var meant = resolved.SupplementaryGroups.Append(resolved.Gid).ToHashSet();
        var numbers = resolved.SupplementaryGroups.Where(g => g != resolved.Gid).Distinct().Prepend(resolved.Gid).Select(g => g.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return RuncUserLookup.GetAdditionalGroupsOld(numbers, c.Group).SetEquals(meant) ? null : typeof(UnsafeImageConfigException);
    }

    /// <summary>An image of the case's account files (busybox, like the probe image), made once per content.</summary>
    private static async Task<string> CaseImageAsync(IDockerClient client, AccountCases.Case c)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(RuncUserLookup.Bytes(c.Passwd + "\0" + c.Group)))[..16];
        var image = BusyboxImage.WithBusybox(new LocalImage($"volumegen-test/runc-user:{hash}"), c.Passwd, c.Group).WithChange("ENV PATH=/bin");
        await image.EnsureAsync(client);
        return image.Name;
    }

    [Fact]
    public async Task An_account_with_a_uid_beyond_32_bits_would_run_as_root_on_the_engine_so_it_is_refused()
    {
        var client = await DockerEngine.ClientAsync();
        await BusyboxImage.EnsureAsync(client);
        var tenant = DockerEngine.NewTenant();
        var c = new AccountCases.Case("app:x:4294967296:4294967296::/:/bin/sh\n", "", "app");

        // The engine truncates 2^32 to uid 0: the attack this refusal closes.
        var actual = await IdAsync(client, c);
        if (actual is not null) // Podman refuses such an account itself
        {
            Assert.Equal((0L, 0L), (actual.Value.Uid, actual.Value.Gid));
        }

        var image = await CaseImageAsync(client, c);
        try
        {
            var error = await Assert.ThrowsAsync<UnsafeImageConfigException>(() => Tools.Runner.RunAsync(new ToolRunSpec(image) { User = "app", TenantId = tenant }));
            Assert.Contains("4294967296", error.Message);
        }
        finally
        {
            await client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true });
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    /// <summary>
    /// What <c>id</c> prints in a container of the busybox image whose /etc/passwd and /etc/group are
    /// the case's, started with the case's user spec as is; null when the engine refuses to start it.
    /// </summary>
    internal static async Task<(long Uid, long Gid, HashSet<long> Groups)?> IdAsync(IDockerClient client, AccountCases.Case c)
    {
        var container = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = BusyboxImage.Name,
            User = c.Spec,
            Entrypoint = ["/bin/sh", "-c"],
            Cmd = ["echo \"$(id -u) $(id -g) $(id -G)\""],
            Labels = new Dictionary<string, string> { ["volumegen-test.role"] = "runc-user-probe" },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        try
        {
            await client.Containers.ExtractArchiveToContainerAsync(container.ID, new CopyToContainerParameters { Path = "/etc" }, Files(c));
            try
            {
                await client.Containers.StartContainerAsync(container.ID, new ContainerStartParameters());
            }
            catch (DockerApiException e) when (e.Message.Contains("user", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("group", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var exit = await client.Containers.WaitContainerAsync(container.ID);
            using var logs = await client.Containers.GetContainerLogsAsync(container.ID, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
            Assert.True(exit.StatusCode == 0, $"id exited {exit.StatusCode}: {stdout}{stderr}\n{c}");
            var fields = stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToList();
            return (fields[0], fields[1], fields.Skip(2).ToHashSet());
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    private static MemoryStream Files(AccountCases.Case c)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in new[] { ("passwd", c.Passwd), ("group", c.Group) })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = (UnixFileMode)0b110_100_100,
                    DataStream = new MemoryStream(RuncUserLookup.Bytes(content)),
                });
            }
        }

        tar.Position = 0;
        return tar;
    }
}
