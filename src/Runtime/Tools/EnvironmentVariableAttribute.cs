namespace VolumeGen;

/// <summary>
/// Passes this property to the tool as the environment variable <paramref name="name"/>. Supported
/// types: <see cref="string"/>, <see cref="int"/>, <see cref="long"/> and <see cref="bool"/> (and their
/// nullable forms; null means the variable is not set), formatted invariantly (<c>true</c>/<c>false</c>).
/// Passed straight to the container, never through a shell.
/// </summary>
/// <param name="name">The variable's name: a letter or '_', then letters, digits or '_'.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
#if VOLUMEGEN_GENERATOR
// Compiled into the generator and analyzers too (as System.Text.Json's generator does with its
// attributes): names and defaults are read from here, never copied as strings. Internal there.
internal
#else
public
#endif
sealed class EnvironmentVariableAttribute(string name) : Attribute
{
    /// <summary>The variable's name.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// A secret (a token, a password): passed through <see cref="ToolRunSpec.SecretEnvironment"/>, so
    /// VolumeGen never logs it or puts it in a message. (While the tool runs, whoever may inspect
    /// containers on the engine can read any environment variable; the container is removed after.)
    /// </summary>
    public bool Secret { get; init; }
}
