using System.Globalization;

namespace VolumeGen.Users;

/// <summary>
/// A container user as Docker takes it: <c>user[:group]</c>, each a name or a number. Resolved the
/// way runc resolves it when the container starts, so the volume owner is the user that really runs.
/// </summary>
internal sealed record UserSpec(string User, string? Group)
{
    /// <summary>runc accepts IDs up to 2^31-1.</summary>
    private const long MaxId = int.MaxValue;

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

            if (part.All(char.IsAsciiDigit) && !(long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= MaxId))
            {
                return $"a numeric ID is above {MaxId}";
            }
        }

        return null;
    }

    /// <summary>Whether resolving needs the image's /etc/passwd or /etc/group (names, or a primary group to look up).</summary>
    public bool NeedsAccounts => !(IsNumeric(User) && Group is not null && IsNumeric(Group));

    /// <summary>Resolves against the image's accounts like runc: a name must exist; a number may be absent.</summary>
    /// <returns>The user, or the name of the part that names nobody.</returns>
    public (ToolUser? User, string? Missing) Resolve(ImageAccounts accounts)
    {
        var uidArg = IsNumeric(User) ? int.Parse(User, CultureInfo.InvariantCulture) : (int?)null;
        var entry = accounts.Users.FirstOrDefault(u => u.Name == User || u.Uid == uidArg);
        if (entry is null && uidArg is null)
        {
            return (null, $"user '{User}'");
        }

        // Without a passwd entry runc runs a numeric user with group 0.
        var uid = entry?.Uid ?? uidArg!.Value;
        var gid = entry?.Gid ?? 0;
        if (Group is not null)
        {
            var gidArg = IsNumeric(Group) ? int.Parse(Group, CultureInfo.InvariantCulture) : (int?)null;
            var group = accounts.Groups.FirstOrDefault(g => g.Name == Group || g.Gid == gidArg);
            if (group is null && gidArg is null)
            {
                return (null, $"group '{Group}'");
            }

            gid = group?.Gid ?? gidArg!.Value;
        }

        return (new ToolUser(uid, gid), null);
    }

    public override string ToString() => Group is null ? User : $"{User}:{Group}";

    private static bool IsNumeric(string part) => part.All(char.IsAsciiDigit);
}
