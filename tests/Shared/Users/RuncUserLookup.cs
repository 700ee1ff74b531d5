using System.Globalization;
using System.Numerics;
using System.Text;

namespace VolumeGen.Testing.Users;

/// <summary>
/// The test oracle for user resolution: a line-for-line port of runc's <c>GetExecUser</c> with no
/// defaults (moby/sys/user user.go and user_utils.go, as Docker and runc vendor it), kept in the
/// tests and written independently of the runtime's resolver, which must agree with it on every
/// generated case. The engine tests in turn check this oracle against what runc really does.
/// </summary>
internal static class RuncUserLookup
{
    public sealed record ExecUser(long Uid, long Gid, IReadOnlyList<long> Sgids);

    private sealed record User(string Name, long Uid, long Gid);

    private sealed record Group(string Name, long Gid, string[] List);

    /// <summary>The user runc computes, or null with the error it would fail with.</summary>
    public static (ExecUser? User, string? Error) GetExecUser(string userSpec, string passwd, string group)
    {
        var colon = userSpec.IndexOf(':', StringComparison.Ordinal);
        var usr = colon < 0 ? userSpec : userSpec[..colon];
        var grp = colon < 0 ? "" : userSpec[(colon + 1)..];
        var (userArg, userErr) = ParseArg(usr);
        var (groupArg, groupErr) = ParseArg(grp);
        if ((userErr ?? groupErr) is { } error)
        {
            return (null, error);
        }

        long uid = 0, gid = 0;
        var sgids = new List<long>();
        var users = ParsePasswd(passwd).Where(u => userArg is null ? u.Uid == 0 : userArg.Value.Numeric ? u.Uid == userArg.Value.Id : u.Name == userArg.Value.Name).ToList();
        var matchedUserName = "";
        if (users.Count > 0)
        {
            matchedUserName = users[0].Name;
            uid = users[0].Uid;
            gid = users[0].Gid;
        }
        else if (userArg is { } ua)
        {
            if (!ua.Numeric)
            {
                return (null, $"unable to find user {ua.Name}");
            }

            uid = ua.Id;
        }

        if (groupArg is not null || matchedUserName != "")
        {
            var groups = ParseGroup(group).Where(g => groupArg is not { } ga
                ? g.List.Contains(matchedUserName)
                : ga.Numeric ? g.Gid == ga.Id : g.Name == ga.Name).ToList();
            if (groupArg is { } ga)
            {
                if (groups.Count > 0)
                {
                    gid = groups[0].Gid;
                }
                else
                {
                    if (!ga.Numeric)
                    {
                        return (null, $"unable to find group {ga.Name}");
                    }

                    gid = ga.Id;
                }
            }
            else if (groups.Count > 0)
            {
                sgids = groups.Select(g => g.Gid).ToList();
            }
        }

        return (new ExecUser(uid, gid, sgids), null);
    }

    private static ((string Name, long Id, bool Numeric)? Arg, string? Error) ParseArg(string value)
    {
        if (value == "")
        {
            return (null, null);
        }

        var (id, ok, rangeError) = Atoi(value);
        if (rangeError || (ok && id is < 0 or > int.MaxValue))
        {
            return (null, "uids and gids must be in range 0-2147483647");
        }

        return ((value, id, ok), null);
    }

    /// <summary>strconv.Atoi: the value, whether it is a number, whether it was out of range (then clamped).</summary>
    private static (long Value, bool Ok, bool RangeError) Atoi(string s)
    {
        var body = s.StartsWith('+') || s.StartsWith('-') ? s[1..] : s;
        if (body.Length == 0 || body.Any(c => c is < '0' or > '9'))
        {
            return (0, false, false);
        }

        var value = BigInteger.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return value > long.MaxValue ? (long.MaxValue, false, true)
            : value < long.MinValue ? (long.MinValue, false, true)
            : ((long)value, true, false);
    }

    private static IEnumerable<string[]> Lines(string text, bool skipComments) =>
        text.Split('\n')
            .Select(line => (line.EndsWith('\r') ? line[..^1] : line).Trim())
            .Where(line => line.Length > 0 && !(skipComments && line[0] == '#'))
            .Select(line => line.Split(':'));

    private static string At(string[] parts, int i) => i < parts.Length ? parts[i] : "";

    private static IEnumerable<User> ParsePasswd(string passwd) =>
        Lines(passwd, skipComments: false).Select(p => new User(At(p, 0), Atoi(At(p, 2)).Value, Atoi(At(p, 3)).Value));

    private static IEnumerable<Group> ParseGroup(string group) =>
        Lines(group, skipComments: true).Select(p => new Group(At(p, 0), Atoi(At(p, 2)).Value, At(p, 3) is { Length: > 0 } list ? list.Split(',') : []));

    /// <summary>
    /// runc 1.1's <c>GetAdditionalGroups</c> (vendored by Docker 20.10 to 24) over <paramref name="additionalGroups"/>
    /// as strings: a group matches by name or by its gid's decimal text, the first match whose gid is
    /// not added yet wins, and a number nothing matches is added as is.
    /// </summary>
    public static HashSet<long> GetAdditionalGroupsOld(IEnumerable<string> additionalGroups, string group)
    {
        var lines = ParseGroup(group).ToList();
        var gidMap = new HashSet<long>();
        foreach (var ag in additionalGroups)
        {
            var found = false;
            foreach (var g in lines.Where(g => g.Name == ag || g.Gid.ToString(CultureInfo.InvariantCulture) == ag))
            {
                if (gidMap.Add(g.Gid))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                gidMap.Add(long.Parse(ag, CultureInfo.InvariantCulture));
            }
        }

        return gidMap;
    }

    /// <summary>The UTF-8 bytes of a file (what the image holds).</summary>
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
