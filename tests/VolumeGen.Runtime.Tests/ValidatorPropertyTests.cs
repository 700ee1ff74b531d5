using CsCheck;
using VolumeGen.Validation;

namespace VolumeGen.Runtime.Tests;

/// <summary>
/// Random names and IDs, many of them hostile (separators, dots, backslashes, NUL, control and
/// non-ASCII characters): whatever the validators accept must stay inside the volume root.
/// </summary>
public class ValidatorPropertyTests
{
    private const string Root = "/var/lib/docker/volumes/v/_data";

    // Characters chosen to hit every rule often: separators, dots and the rejected ones.
    private static readonly Gen<char> NameChar = Gen.OneOf(
        Gen.Char['a', 'z'], Gen.Const('/'), Gen.Const('.'), Gen.Const('\\'), Gen.Const('\0'),
        Gen.Const('\n'), Gen.Const('-'), Gen.Const('~'), Gen.Const(':'), Gen.Char['\u00e0', '\u00ff'], Gen.Char['\u4e00', '\u4e10']);

    private static readonly Gen<string> Names = Gen.OneOf(
        NameChar.Array[0, 40].Select(c => new string(c)),
        Gen.OneOf(Gen.Const(".."), Gen.Const("."), Gen.Const(""), Gen.Char['a', 'c'].Array[1, 3].Select(c => new string(c)))
            .Array[1, 6].Select(parts => string.Join('/', parts)));

    [Fact]
    public void No_accepted_file_name_resolves_outside_the_volume_root() =>
        Names.Sample(name =>
        {
            if (VolumePathRules.GetFileNameProblem(name) is not null)
            {
                return true;
            }

            var full = Path.GetFullPath(Path.Combine(Root, name));
            return full.StartsWith(Root + "/", StringComparison.Ordinal) && !name.Contains('\\') && !name.Contains('\0')
                && name.Split('/').All(segment => segment is not ("" or "." or ".."));
        }, iter: 20_000);

    [Fact]
    public void Accepted_mount_targets_are_absolute_and_normalized() =>
        Names.Select(n => "/" + n).Sample(target =>
            VolumePathRules.GetMountTargetProblem(target) is not null
            || (Path.GetFullPath(target).TrimEnd('/') == target.TrimEnd('/') && target != "/"), iter: 20_000);

    [Fact]
    public void Accepted_ids_only_use_the_safe_alphabet_and_make_valid_volume_names() =>
        Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['0', '9'], Gen.Const('-'), Gen.Const('_'), Gen.Const('.'), Gen.Const('/'), Gen.Const(' '), Gen.Char['\u00e0', '\u00ff'])
            .Array[0, 70].Select(c => new string(c))
            .Sample(id =>
            {
                if (IdentifierRules.GetProblem(id) is not null)
                {
                    return true;
                }

                var name = new IsolatedContainerVolume(id, id).Name;
                return id.Length is > 0 and <= IdentifierRules.MaxLength
                    && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                    && IdentifierRules.GetVolumeNameProblem(name) is null;
            }, iter: 20_000);
}
