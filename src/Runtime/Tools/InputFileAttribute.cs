namespace VolumeGen;

/// <summary>
/// Writes this property into the tool's input volume as <paramref name="name"/> (relative to the
/// input mount). Supported types: <see cref="string"/> (UTF-8), <see cref="byte"/>[],
/// <see cref="ReadOnlyMemory{T}"/> of byte, and <see cref="Stream"/> (streamed; seekable, from its
/// current position). A null value means the file is not written.
/// </summary>
/// <param name="name">The file name, '/'-separated, relative to the input mount.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
#if VOLUMEGEN_GENERATOR
// Compiled into the generator and analyzers too (as System.Text.Json's generator does with its
// attributes): names and defaults are read from here, never copied as strings. Internal there.
internal
#else
public
#endif
sealed class InputFileAttribute(string name) : Attribute
{
    /// <summary>The file name.</summary>
    public string Name { get; } = name;
}
