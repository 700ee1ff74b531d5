namespace VolumeGen;

/// <summary>
/// Reads <paramref name="name"/> (relative to the output mount) back into this property after the
/// tool ran. Supported types: <see cref="string"/> (UTF-8) and <see cref="byte"/>[]. A missing
/// required output is a <see cref="VolumeFileNotFoundException"/> naming the file.
/// </summary>
/// <param name="name">The file name, '/'-separated, relative to the output mount.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class OutputFileAttribute(string name) : Attribute
{
    /// <summary>The file name.</summary>
    public string Name { get; } = name;

    /// <summary>When true, a missing file leaves the property null instead of failing the run.</summary>
    public bool Optional { get; set; }
}
