namespace VolumeGen;

/// <summary>
/// Reads every regular file under the folder <paramref name="name"/> (relative to the output mount,
/// subfolders included) back into this property after the tool ran, keyed by the path relative to
/// that folder, in one archive request and with the limits of every read
/// (<see cref="IsolatedVolumeOptions.MaxEntries"/>, <see cref="IsolatedVolumeOptions.MaxFileBytes"/>,
/// <see cref="IsolatedVolumeOptions.MaxTotalBytes"/>). Supported types:
/// <c>IReadOnlyDictionary&lt;string, string&gt;</c> (UTF-8) and <c>IReadOnlyDictionary&lt;string, byte[]&gt;</c>.
/// A link, device or FIFO under the folder fails the run; a missing required folder is a
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

    /// <summary>When true, a missing folder leaves the property null instead of failing the run.</summary>
    public bool Optional { get; set; }
}
