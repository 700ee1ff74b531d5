using CsCheck;

namespace VolumeGen.Testing.Users;

/// <summary>
/// Generated /etc/passwd and /etc/group files and user specs, hostile where runc's rules bite:
/// accounts named like numbers ("1000", "007", "-0"), duplicate names and IDs (first match wins),
/// malformed IDs ("abc", "+5", "", 2^32, 20 digits) that runc reads as 0 or clamps, short lines,
/// comments (skipped in group only), surrounding blanks, CRLF, group member lists.
/// </summary>
internal static class AccountCases
{
    public sealed record Case(string Passwd, string Group, string Spec)
    {
        public override string ToString() => $"spec '{Spec}'\npasswd:\n{Passwd}\ngroup:\n{Group}";
    }

    private static readonly string[] Names = ["app", "root", "svc", "1000", "2000", "0", "007", "-0", "nobody"];
    private static readonly string[] Ids = ["0", "1000", "2000", "65532", "007", "abc", "", "+1000", "-1", "4294967296", "99999999999999999999", "1234"];

    private static readonly Gen<string> Name = Gen.OneOf(Names);
    private static readonly Gen<string> Id = Gen.OneOf(Ids);
    private static readonly Gen<string> Padding = Gen.OneOf("", "", "", " ", "\t", " \u00a0");
    private static readonly Gen<string> Ending = Gen.OneOf("\n", "\n", "\r\n");

    private static readonly Gen<string> PasswdLine = Gen.Frequency(
        (8, Gen.Select(Name, Id, Id, (n, u, g) => $"{n}:x:{u}:{g}:gecos:/home/{n}:/bin/sh")),
        (2, Gen.Select(Name, Id, Gen.Int[1, 4], (n, u, fields) => string.Join(':', new[] { n, "x", u, "5" }.Take(fields)))),
        (1, Gen.OneOf("# 1000:x:0:0", "", "   ")));

    private static readonly Gen<string> GroupLine = Gen.Frequency(
        (8, Gen.Select(Name, Id, Name.Array[0, 3], (n, g, members) => $"{n}:x:{g}:{string.Join(',', members)}")),
        (2, Gen.Select(Name, Id, Gen.Int[1, 3], (n, g, fields) => string.Join(':', new[] { n, "x", g }.Take(fields)))),
        (1, Gen.OneOf("#app:x:0:app", "# comment", "")));

    private static Gen<string> File(Gen<string> line) =>
        Gen.Select(line, Padding, Padding, Ending, (l, before, after, end) => before + l + after + end).Array[0, 6].Select(string.Concat);

    private static readonly Gen<string> SpecPart = Gen.Frequency((3, Name), (2, Id.Where(id => id.Length > 0)));

    public static readonly Gen<Case> Cases = Gen.Select(
        File(PasswdLine), File(GroupLine), SpecPart, SpecPart, Gen.Bool,
        (passwd, group, user, grp, withGroup) => new Case(passwd, group, withGroup ? $"{user}:{grp}" : user));
}
