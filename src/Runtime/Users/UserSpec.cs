using System.Globalization;

namespace VolumeGen.Users;

/// <summary>
/// A container user as Docker takes it: <c>user[:group]</c>, each a name or a number. Resolved
/// exactly as runc's <c>GetExecUser</c> resolves it when the container starts (moby/sys/user), so the
/// volume owner is the user that really runs: a number is always an ID, never an account name.
/// </summary>
internal sealed record UserSpec(string User, string? Group)
{
    /// <summary>runc accepts IDs up to 2^31-1.</summary>
    public const long MaxId = int.MaxValue;

    public static UserSpec Parse(string value)
    {
        if (GetProblem(value) is { } problem)
        {
            throw new VolumeValidationException("user", value, problem);
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new UserSpec(value, null) : new UserSpec(value[..colon], value[(colon + 1)..]);
    }

    /// <summary>Null when <paramref name="value"/> is a well-formed <c>user[:group]</c>.</summary>
    public static string? GetProblem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty";
        }

        var parts = value.Split(':');
        if (parts.Length > 2)
        {
            return "it has more than one ':' (expected user or user:group)";
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 256 || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '$'))
            {
                return "a user or group is empty, too long, or has characters other than letters, digits and _ - . $";
            }

            // runc refuses these before it looks at any file (strconv.Atoi's range, then 0..2^31-1).
            if (Id(part) is { } id && id is < 0 or > MaxId)
            {
                return $"a numeric ID is outside 0..{MaxId}";
            }
        }

        return null;
    }

    /// <summary>Whether this asks for root by name or number ("root", "0"): the only opt-in for running as uid 0.</summary>
    public bool AsksForRoot => User == "root" || Id(User) == 0;

    /// <summary>runc's <c>GetExecUser</c> over the image's accounts (no defaults: the spec is never empty).</summary>
    /// <returns>The user, or the part that names nobody (a name must exist; a number may be absent).</returns>
    public (ResolvedUser? User, string? Missing) Resolve(ImageAccounts accounts)
    {
        var uidArg = Id(User);
        // First match wins, even if more lines match.
        var entry = accounts.Users.FirstOrDefault(u => uidArg is { } uid ? u.Uid == uid : u.Name == User);
        if (entry is null && uidArg is null)
        {
            return (null, $"user '{User}'");
        }

        // Without a passwd entry runc keeps its defaults: group 0, no supplementary groups.
        var uidValue = entry?.Uid ?? uidArg!.Value;
        var gidValue = entry?.Gid ?? 0;
        IReadOnlyList<long> supplementary = [];
        if (Group is not null)
        {
            var gidArg = Id(Group);
            var group = accounts.Groups.FirstOrDefault(g => gidArg is { } gid ? g.Gid == gid : g.Name == Group);
            if (group is null && gidArg is null)
            {
                return (null, $"group '{Group}'");
            }

            gidValue = group?.Gid ?? gidArg!.Value;
        }
        else if (entry is { Name.Length: > 0 })
        {
            // Supplementary groups only in the implicit form: every group listing the matched name.
            supplementary = accounts.Groups.Where(g => g.Members.Contains(entry.Name, StringComparer.Ordinal)).Select(g => g.Gid).ToList();
        }

        return (new ResolvedUser(uidValue, gidValue, supplementary), null);
    }

    public override string ToString() => Group is null ? User : $"{User}:{Group}";

    /// <summary>
    /// The ID a part stands for when it is numeric as runc decides it (Go's <c>strconv.Atoi</c>: an
    /// optional sign, then decimal digits: "007" is 7 and "-0" is 0), else null (a name).
    /// </summary>
    private static long? Id(string part)
    {
        var digits = part.Length > 0 && part[0] is '+' or '-' ? part[1..] : part;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        // Too many digits for Atoi is its range error: out of range here too.
        return long.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : long.MaxValue;
    }
}

/// <summary>
/// What runc computes for a user spec: uid, primary gid and supplementary gids, as read from the
/// image's files (64-bit: a file may hold IDs the kernel cannot take; see <see cref="UserSpec.MaxId"/>).
/// </summary>
internal sealed record ResolvedUser(long Uid, long Gid, IReadOnlyList<long> SupplementaryGroups);
