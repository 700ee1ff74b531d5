using System.Text;
using CsCheck;
using VolumeGen.Testing.Users;
using VolumeGen.Users;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// User resolution is runc's: the resolver agrees with a port of runc's GetExecUser on generated
/// account files and specs, and the cases that once ran a tool as root without asking are pinned.
/// </summary>
public class UserResolutionTests
{
    [Fact]
    public void The_resolver_agrees_with_runc_on_generated_account_files() =>
        AccountCases.Cases.Sample(c =>
        {
            if (UserSpec.GetProblem(c.Spec) is not null)
            {
                return true; // refused before any file is read (a stricter alphabet than runc's)
            }

            var (expected, error) = RuncUserLookup.GetExecUser(c.Spec, c.Passwd, c.Group);
            var (actual, missing) = Resolve(c.Spec, c.Passwd, c.Group);
            return expected is null
                ? actual is null && missing is not null && error is not null
                : actual is not null && (actual.Uid, actual.Gid) == (expected.Uid, expected.Gid) && actual.SupplementaryGroups.SequenceEqual(expected.Sgids);
        }, iter: 20_000);

    [Fact]
    public void A_number_is_a_uid_even_when_an_account_is_named_like_it()
    {
        var (user, _) = Resolve("1000", "1000:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n", "");

        Assert.Equal((1000L, 1000L), (user!.Uid, user.Gid));
    }

    [Fact]
    public void A_numeric_group_is_a_gid_even_when_a_group_is_named_like_it()
    {
        var (user, _) = Resolve("app:2000", "app:x:1000:1000::/:/bin/sh\n", "2000:x:0:\nother:x:2000:\n");

        Assert.Equal((1000L, 2000L), (user!.Uid, user.Gid));
    }

    [Theory]
    [InlineData("-0", true)] // Atoi reads "-0" as 0
    [InlineData("00", true)]
    [InlineData("0", true)]
    [InlineData("root", true)]
    [InlineData("app", false)]
    [InlineData("1000", false)]
    public void Only_root_by_name_or_number_asks_for_root(string spec, bool asksForRoot) =>
        Assert.Equal(asksForRoot, UserSpec.Parse(spec).AsksForRoot);

    [Fact]
    public void A_name_the_image_maps_to_uid_0_resolves_to_0_and_does_not_ask_for_root()
    {
        // A malformed line is an account with uid 0 to runc, not "nobody".
        foreach (var passwd in new[] { "app:x:0:0::/:/bin/sh\n", "app:x:abc:def\n", "app\n" })
        {
            var (user, _) = Resolve("app", passwd, "");
            Assert.Equal(0L, user!.Uid);
            Assert.False(UserSpec.Parse("app").AsksForRoot);
        }
    }

    [Fact]
    public void Supplementary_groups_are_every_group_listing_the_name_and_only_without_an_explicit_group()
    {
        const string passwd = "app:x:1000:1000::/:/bin/sh\n";
        const string group = "app:x:1000:\nscan:x:3000:other,app\n# x:x:4000:app\nroot:x:0:app\n";

        Assert.Equal([3000L, 0L], Resolve("app", passwd, group).User!.SupplementaryGroups);
        Assert.Empty(Resolve("app:app", passwd, group).User!.SupplementaryGroups);
        Assert.Empty(Resolve("1000:1000", passwd, group).User!.SupplementaryGroups);
    }

    [Fact]
    public void Ids_beyond_32_bits_resolve_as_the_file_says_so_the_caller_can_refuse_them()
    {
        // Docker would truncate 2^32 to uid 0.
        var (user, _) = Resolve("app", "app:x:4294967296:99999999999999999999\n", "");

        Assert.Equal((4294967296L, long.MaxValue), (user!.Uid, user.Gid));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("2147483648")]
    [InlineData("app:-1")]
    [InlineData("99999999999999999999")]
    public void Numeric_ids_out_of_range_are_refused_before_any_file_is_read(string spec) =>
        Assert.Contains("outside 0..", UserSpec.GetProblem(spec));

    [Fact]
    public void A_passwd_line_longer_than_runc_reads_is_an_error_not_a_guess() =>
        Assert.Throws<FormatException>(() => ImageAccounts.Parse(Encoding.UTF8.GetBytes(new string('a', 70_000) + ":x:1:1\n"), []));

    [Fact]
    public void An_older_engine_gives_what_a_line_named_like_the_number_says_and_looks_further_on_a_second_mention()
    {
        var accounts = ImageAccounts.Parse(RuncUserLookup.Bytes(""), RuncUserLookup.Bytes("app:x:1000:app\n1000:x:0:\n65532:x:0:\n"));

        Assert.Equal([1000L], accounts.GroupsGivenByOldEngines(1000, []));
        Assert.Equal([0L, 1000L], accounts.GroupsGivenByOldEngines(1000, [1000]).Order());
        Assert.Equal([0L], accounts.GroupsGivenByOldEngines(65532, []));
        Assert.Equal([3000L, 65532L], ImageAccounts.Parse([], []).GroupsGivenByOldEngines(65532, [3000]).Order());
    }

    [Fact]
    public void The_older_engines_group_lookup_agrees_with_a_port_of_runc_1_1() =>
        Gen.Select(AccountCases.Cases, Gen.Long[0, 3000], Gen.Long[0, 3000].Array[0, 3]).Sample((c, gid, added) =>
        {
            var accounts = ImageAccounts.Parse(RuncUserLookup.Bytes(c.Passwd), RuncUserLookup.Bytes(c.Group));
            var expected = RuncUserLookup.GetAdditionalGroupsOld(added.Prepend(gid).Select(g => g.ToString(System.Globalization.CultureInfo.InvariantCulture)), c.Group);
            return accounts.GroupsGivenByOldEngines(gid, added).SetEquals(expected);
        }, iter: 5_000);

    private static (ResolvedUser? User, string? Missing) Resolve(string spec, string passwd, string group) =>
        UserSpec.Parse(spec).Resolve(ImageAccounts.Parse(RuncUserLookup.Bytes(passwd), RuncUserLookup.Bytes(group)));
}
