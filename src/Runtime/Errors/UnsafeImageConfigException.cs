using VolumeGen.Validation;

namespace VolumeGen;

/// <summary>
/// The tool image's own config would decide something VolumeGen refuses to let an image decide (a
/// working directory under /proc, labels in VolumeGen's namespace, a user that is root or outside
/// the range the kernel takes, VOLUMEs over system paths). Raised before any volume or container of
/// the run exists; the spec cannot fix it, only another image can.
/// </summary>
public sealed class UnsafeImageConfigException : VolumeGenException
{
    /// <summary>Creates the exception.</summary>
    public UnsafeImageConfigException(string image, string field, string? value, string problem)
        : base($"Image '{Printable.Of(image)}' is refused: its {field}{(value is null ? "" : $" '{Printable.Of(value)}'")} {Printable.Of(problem)}.")
    {
        Image = image;
        Field = field;
        Value = value;
    }

    /// <summary>The tool image.</summary>
    public string Image { get; }

    /// <summary>The image config field at fault (<c>WorkingDir</c>, <c>Labels</c>, <c>User</c>, <c>Volumes</c>).</summary>
    public string Field { get; }

    /// <summary>The value the image has there (as the image has it: escape it before printing).</summary>
    public string? Value { get; }
}
