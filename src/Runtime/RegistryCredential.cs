namespace VolumeGen;

/// <summary>
/// Credentials for one registry, given in the options (<see cref="DockerConnectionOptions.RegistryCredentials"/>)
/// instead of found in the docker config: a user name with a password (or access token), or an
/// identity token (OAuth refresh token). Secrets never appear in logs, messages or <see cref="ToString"/>.
/// </summary>
public sealed class RegistryCredential
{
    /// <summary>The user name; null with an <see cref="IdentityToken"/>.</summary>
    public string? Username { get; init; }

    /// <summary>The password or access token (a secret).</summary>
    public string? Password { get; init; }

    /// <summary>An identity token the registry's token service issued (a secret), used instead of a password.</summary>
    public string? IdentityToken { get; init; }

    /// <summary>The user name only: secrets are never printed.</summary>
    public override string ToString() =>
        $"RegistryCredential {{ Username = {Username ?? "<none>"}, Password = {(Password is null ? "<none>" : "***")}, IdentityToken = {(IdentityToken is null ? "<none>" : "***")} }}";
}
