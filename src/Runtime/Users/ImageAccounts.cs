using System.Globalization;
using System.Text;

namespace VolumeGen.Users;

/// <summary>
/// The users and groups of an image, parsed from its own <c>/etc/passwd</c> and <c>/etc/group</c>
/// exactly as runc (<c>moby/sys/user</c>, which Docker and runc vendor) parses them, because runc is
/// what decides who the tool really runs as: lines are trimmed, empty lines skipped, <c>#</c> lines
/// skipped in the group file only, missing fields left at their zero value, and an ID that is not a
/// number read as 0 (a malformed line is an account with uid 0, not "nobody").
/// </summary>
internal sealed record ImageAccounts(IReadOnlyList<ImageAccounts.User> Users, IReadOnlyList<ImageAccounts.Group> Groups)
{
    /// <summary>runc reads at most this much of either file, and refuses a larger one (moby/sys/user's maxUserFileBytes).</summary>
    public const long MaxFileBytes = 10 << 20;

    /// <summary>Go's <c>bufio.Scanner</c> default: a longer passwd line stops runc's parse with an error.</summary>
    private const int MaxPasswdLineBytes = 64 * 1024;

    /// <summary>moby/sys/user widens the scanner for group lines (member lists can be long); older runc read them whole.</summary>
    private const int MaxGroupLineBytes = 1024 * 1024;

    /// <summary>Parses both files (UTF-8 bytes).</summary>
    /// <exception cref="FormatException">A line is longer than runc reads; runc would fail to start the container.</exception>
    public static ImageAccounts Parse(byte[] passwd, byte[] group) =>
        new(Lines(passwd, MaxPasswdLineBytes, skipComments: false).Select(User.Of).ToList(),
            Lines(group, MaxGroupLineBytes, skipComments: true).Select(Group.Of).ToList());

    /// <summary>
    /// The groups an engine before Docker 25 really gives a tool run as <c>uid:<paramref name="gid"/></c>
    /// with <paramref name="groupAdd"/>: it looks up the primary gid and every <c>GroupAdd</c> with runc
    /// 1.1's <c>GetAdditionalGroups</c>, which takes the first group line *named* like the number or
    /// having it as its ID, skipping lines whose gid it has already added. So a line <c>65532:x:0:</c>
    /// turns gid 65532 into the root group, and a second mention of a gid reaches the next line named
    /// like it (seen on this project's Docker 20.10.24). Newer engines give exactly the numbers.
    /// </summary>
    public IReadOnlySet<long> GroupsGivenByOldEngines(long gid, IEnumerable<long> groupAdd)
    {
        var given = new HashSet<long>();
        foreach (var text in groupAdd.Prepend(gid).Select(id => id.ToString(CultureInfo.InvariantCulture)))
        {
            var line = Groups.FirstOrDefault(g => (g.Name == text || g.Gid.ToString(CultureInfo.InvariantCulture) == text) && !given.Contains(g.Gid));
            given.Add(line?.Gid ?? long.Parse(text, CultureInfo.InvariantCulture));
        }

        return given;
    }

    /// <summary>bufio.ScanLines (split at '\n', one trailing '\r' dropped), then bytes.TrimSpace.</summary>
    private static IEnumerable<string[]> Lines(byte[] content, int maxLineBytes, bool skipComments)
    {
        var start = 0;
        while (start < content.Length)
        {
            var newline = Array.IndexOf(content, (byte)'\n', start);
            var end = newline < 0 ? content.Length : newline;
            if (end - start >= maxLineBytes)
            {
                throw new FormatException($"a line is longer than {maxLineBytes} bytes");
            }

            var length = end - start - (end > start && content[end - 1] == '\r' ? 1 : 0);
            var line = Latin1(TrimSpace(content.AsSpan(start, length)));
            start = end + 1;
            if (line.Length == 0 || (skipComments && line[0] == '#'))
            {
                continue;
            }

            yield return line.Split(':');
        }
    }

    /// <summary>
    /// Go's <c>bytes.TrimSpace</c>: white space (Unicode White_Space, as .NET's) decoded as UTF-8 from
    /// either end; an invalid byte there stops the trim.
    /// </summary>
    private static ReadOnlySpan<byte> TrimSpace(ReadOnlySpan<byte> line)
    {
        while (Rune.DecodeFromUtf8(line, out var rune, out var size) == System.Buffers.OperationStatus.Done && Rune.IsWhiteSpace(rune))
        {
            line = line[size..];
        }

        while (Rune.DecodeLastFromUtf8(line, out var rune, out var size) == System.Buffers.OperationStatus.Done && Rune.IsWhiteSpace(rune))
        {
            line = line[..^size];
        }

        return line;
    }

    /// <summary>
    /// One char per byte: names compare byte for byte, as runc compares them (two different invalid
    /// UTF-8 names must not both become U+FFFD and match).
    /// </summary>
    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>
    /// Go's <c>strconv.Atoi</c> as runc uses it on file fields (errors ignored): an optional sign and
    /// decimal digits; anything else is 0; out of range is clamped to the 64-bit limit.
    /// </summary>
    internal static long AtoiOrZero(string field)
    {
        var digits = field.Length > 0 && field[0] is '+' or '-' ? field[1..] : field;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return 0;
        }

        var negative = field[0] == '-';
        var value = 0L;
        foreach (var c in digits)
        {
            if (value > (long.MaxValue - (c - '0')) / 10)
            {
                return negative ? long.MinValue : long.MaxValue;
            }

            value = (value * 10) + (c - '0');
        }

        return negative ? -value : value;
    }

    private static string Field(string[] fields, int index) => index < fields.Length ? fields[index] : "";

    /// <summary>A passwd line: <c>name:password:uid:gid:gecos:home:shell</c>.</summary>
    internal sealed record User(string Name, long Uid, long Gid)
    {
        public static User Of(string[] fields) => new(Field(fields, 0), AtoiOrZero(Field(fields, 2)), AtoiOrZero(Field(fields, 3)));
    }

    /// <summary>A group line: <c>name:password:gid:member,member</c>.</summary>
    internal sealed record Group(string Name, long Gid, IReadOnlyList<string> Members)
    {
        public static Group Of(string[] fields) =>
            new(Field(fields, 0), AtoiOrZero(Field(fields, 2)), Field(fields, 3) is { Length: > 0 } list ? list.Split(',') : []);
    }
}
