using System.Globalization;

namespace VolumeGen.Users;

/// <summary>The users and groups of an image, parsed from its own <c>/etc/passwd</c> and <c>/etc/group</c>.</summary>
internal sealed record ImageAccounts(IReadOnlyList<ImageAccounts.Account> Users, IReadOnlyList<ImageAccounts.Account> Groups)
{
    /// <summary>An image without the files (scratch, distroless static): only numeric users resolve.</summary>
    public static readonly ImageAccounts None = new([], []);

    /// <summary>
    /// Parses both files, skipping what is malformed the way libc does: a line must have the
    /// fields and numeric IDs, or it names nobody.
    /// </summary>
    public static ImageAccounts Parse(string passwd, string group) =>
        new(Lines(passwd, minFields: 4).Select(f => Account.Of(f[0], f[2], f[3])).OfType<Account>().ToList(),
            Lines(group, minFields: 3).Select(f => Account.Of(f[0], f[2], f[2])).OfType<Account>().ToList());

    private static IEnumerable<string[]> Lines(string text, int minFields) =>
        text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && line[0] is not ('#' or '+' or '-'))
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= minFields && fields[0].Length > 0);

    /// <summary>A user (name, uid, primary gid) or a group (name, gid, gid).</summary>
    internal sealed record Account(string Name, int Uid, int Gid)
    {
        public static Account? Of(string name, string id, string primaryGroup) =>
            int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) &&
            int.TryParse(primaryGroup, NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
                ? new Account(name, uid, gid)
                : null;
    }
}
