namespace VolumeGen.Engine;

/// <summary>
/// The docker CLI's configuration folder, where contexts, TLS folders and registry credentials are
/// found: the options' <see cref="DockerConnectionOptions.DockerConfig"/> (the CLI's <c>--config</c>),
/// else <c>DOCKER_CONFIG</c>, else <c>~/.docker</c> (the CLI's <c>config.Dir()</c>).
/// </summary>
internal static class DockerConfigFolder
{
    /// <param name="options">The options' folder, when they name one.</param>
    /// <param name="env">The environment (tests pass their own).</param>
    public static string Of(DockerConnectionOptions options, Func<string, string?> env) =>
        Set(options.DockerConfig) ?? Set(env("DOCKER_CONFIG")) ?? Path.Combine(Set(env("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");

    /// <summary><c>config.json</c> in the folder.</summary>
    public static string ConfigFile(string folder) => Path.Combine(folder, "config.json");

    private static string? Set(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
