namespace VolumeGen;

/// <summary>
/// Reads <paramref name="name"/> (relative to the output mount) back into this property after the
/// tool ran. Supported types: <see cref="string"/> (UTF-8) and <see cref="byte"/>[]. A missing
/// required output is a <see cref="VolumeFileNotFoundException"/> naming the file.
/// </summary>
/// <param name="name">The file name, '/'-separated, relative to the output mount.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
#if VOLUMEGEN_GENERATOR
// Compiled into the generator and analyzers too (as System.Text.Json's generator does with its
// attributes): names and defaults are read from here, never copied as strings. Internal there.
internal
#else
public
#endif
sealed class OutputFileAttribute(string name) : Attribute
{
    /// <summary>The file name.</summary>
    public string Name { get; } = name;

    /// <summary>When true, a missing file leaves the property null instead of failing the run.</summary>
    public bool Optional { get; set; }
}
