namespace VolumeGen;

/// <summary>
/// Creates the folder <paramref name="name"/> (relative to the output mount) empty and owned by the
/// tool's user before the tool starts, and reads every regular file under it (subfolders included) back into this property after the tool ran, keyed by the path relative to
/// that folder, in one archive request and with the limits of every read
/// (<see cref="IsolatedVolumeOptions.MaxEntries"/>, <see cref="IsolatedVolumeOptions.MaxFileBytes"/>,
/// <see cref="IsolatedVolumeOptions.MaxTotalBytes"/>). Supported types:
/// <c>IReadOnlyDictionary&lt;string, string&gt;</c> (UTF-8) and <c>IReadOnlyDictionary&lt;string, byte[]&gt;</c>.
/// A link, device or FIFO under the folder fails the run; a required folder the tool removed is a
/// <see cref="VolumeFileNotFoundException"/>.
/// </summary>
/// <param name="name">The folder, '/'-separated, relative to the output mount.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
#if VOLUMEGEN_GENERATOR
// Compiled into the generator and analyzers too, like the other attributes: internal there.
internal
#else
public
#endif
sealed class OutputDirectoryAttribute(string name) : Attribute
{
    /// <summary>The folder name.</summary>
    public string Name { get; } = name;

    /// <summary>When true, a folder the tool removed leaves the property null instead of failing the run.</summary>
    public bool Optional { get; set; }
}
