using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VolumeGen.Engine;

/// <summary>
/// The credentials a pull from <see cref="Registry"/> presents, and where they came from (for logs and
/// errors; never the secret). <see cref="HelperFailure"/>: a credential helper failed and the lookup
/// went on as the docker CLI does (with the config file's entry); a refused pull then says why.
/// </summary>
internal sealed record RegistryLogin(string Registry, RegistryCredential? Credential, string Source, string? HelperFailure = null)
{
    /// <summary>The registry's key in a docker config and the server address of the engine's auth header.</summary>
    public string Key => RegistryAuth.KeyOf(Registry);
}

/// <summary>
/// Finds registry credentials the way the docker CLI does for <c>docker pull</c>
/// (<c>ResolveAuthConfig</c> and <c>configfile.GetAuthConfig</c> of docker/cli): the key is the
/// registry host (<c>https://index.docker.io/v1/</c> for Docker Hub); a <c>credHelpers</c> entry for
/// it, else <c>credsStore</c>, runs <c>docker-credential-&lt;name&gt; get</c> with the key on standard
/// input (<c>&lt;token&gt;</c> as user name means the secret is an identity token; "credentials not found"
/// means none); else <c>auths</c>: the key itself, else the first entry whose key's host is it
/// (<c>auth</c> is base64 of <c>user:password</c>, <c>identitytoken</c> kept). Credentials in the
/// options come before all of it.
/// </summary>
internal static partial class RegistryAuth
{
    /// <summary>The key Docker Hub's credentials are stored under (the CLI's <c>registry.IndexServer</c>).</summary>
    public const string DockerHubKey = "https://index.docker.io/v1/";

    private const string TokenUsername = "<token>";

    /// <summary>The key a registry's credentials are stored under: its host, Docker Hub's <see cref="DockerHubKey"/>.</summary>
    public static string KeyOf(string registry) => registry == Validation.ImageReferenceRules.DefaultDomain ? DockerHubKey : registry;
    private const string NotFoundMessage = "credentials not found in native keychain";

    public static Task<RegistryLogin> FindAsync(string registry, DockerConnectionOptions options, CancellationToken cancellationToken) =>
        FindAsync(registry, options, Environment.GetEnvironmentVariable, cancellationToken);

    /// <param name="registry">The registry host of the image (<c>docker.io</c>, <c>registry.example.com:5000</c>).</param>
    /// <param name="options">Explicit credentials, and the time a helper may take.</param>
    /// <param name="env">The environment (tests pass their own).</param>
    /// <param name="cancellationToken">Stops a running helper.</param>
    internal static async Task<RegistryLogin> FindAsync(string registry, DockerConnectionOptions options, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var key = KeyOf(registry);
        if (options.RegistryCredentials?.FirstOrDefault(c => SameRegistry(c.Key, registry)) is { Value: { } given })
        {
            return new RegistryLogin(registry, given, "the options' RegistryCredentials");
        }

        var configFile = DockerConfigFolder.ConfigFile(DockerConfigFolder.Of(options, env));
        var config = ReadConfig(registry, configFile);
        var fromFile = FromAuths(registry, config, key, configFile);
        var helper = config.Helpers.TryGetValue(key, out var named) ? named : config.Store;
        if (string.IsNullOrEmpty(helper))
        {
            return fromFile;
        }

        try
        {
            var credential = await RunHelperAsync(helper!, key, options.RequestTimeout, env, cancellationToken).ConfigureAwait(false);
            return new RegistryLogin(registry, credential, $"docker-credential-{helper} (named in {configFile})");
        }
        catch (CredentialHelperException e)
        {
            // As the CLI: a failing helper leaves the config file's entry (usually none) in place.
            return fromFile with { HelperFailure = $"docker-credential-{helper} failed: {e.Message}" };
        }
    }

    /// <summary>The CLI's <c>ConvertToHostname</c>: a key with a scheme is a URL (its host and port), else everything before the first '/'.</summary>
    internal static string ConvertToHostname(string key)
    {
        if (key.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(key, UriKind.Absolute, out var uri) && uri.Host.Length > 0)
        {
            // Go keeps a port written out, even the scheme's default one; .NET's Uri hides that one.
            var authority = key[(key.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/', '?', '#')[0];
            authority = authority[(authority.LastIndexOf('@') + 1)..];
            var explicitPort = authority.LastIndexOf(':') > authority.LastIndexOf(']');
            return explicitPort ? $"{uri.Host}:{uri.Port}" : uri.Host.Trim('[', ']');
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? key : key[..slash];
    }

    private static bool SameRegistry(string key, string registry)
    {
        var host = ConvertToHostname(key);
        return string.Equals(host, registry, StringComparison.OrdinalIgnoreCase)
            || (registry == Validation.ImageReferenceRules.DefaultDomain && (key == DockerHubKey || host is "index.docker.io" or "registry-1.docker.io"));
    }

    private sealed record ConfigEntry(string? Username, string? Password, string? IdentityToken);

    private sealed record Config(Dictionary<string, ConfigEntry> Auths, Dictionary<string, string> Helpers, string? Store);

    private static Config ReadConfig(string registry, string configFile)
    {
        var empty = new Config([], [], null);
        if (!File.Exists(configFile))
        {
            return empty;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configFile));
            var root = document.RootElement;
            var auths = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
            if (root.TryGetProperty("auths", out var authsElement) && authsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in authsElement.EnumerateObject())
                {
                    auths[entry.Name] = ParseEntry(entry.Value);
                }
            }

            var helpers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("credHelpers", out var helpersElement) && helpersElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in helpersElement.EnumerateObject())
                {
                    helpers[entry.Name] = entry.Value.GetString() ?? "";
                }
            }

            var store = root.TryGetProperty("credsStore", out var storeElement) && storeElement.ValueKind == JsonValueKind.String ? storeElement.GetString() : null;
            return new Config(auths, helpers, store);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ImagePullFailedException(registry, registry, ImagePullFailure.Other, $"the docker config {configFile} cannot be read ({e.Message})", e);
        }
    }

    /// <summary>The CLI's <c>decodeAuth</c>: <c>auth</c> replaces the user name and password fields.</summary>
    private static ConfigEntry ParseEntry(JsonElement entry)
    {
        string? Field(string name) => entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var (username, password) = (Field("username"), Field("password"));
        if (Field("auth") is { Length: > 0 } auth)
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            (username, password) = colon < 0 ? throw new FormatException("an auths entry's auth is not base64 of user:password") : (decoded[..colon], decoded[(colon + 1)..]);
        }

        return new ConfigEntry(username, password, Field("identitytoken"));
    }

    private static RegistryLogin FromAuths(string registry, Config config, string key, string configFile)
    {
        var entry = config.Auths.TryGetValue(key, out var exact) ? exact
            : config.Auths.FirstOrDefault(a => ConvertToHostname(a.Key) == key).Value;
        return entry is null || (entry.Username is null && entry.Password is null && entry.IdentityToken is null)
            ? new RegistryLogin(registry, null, $"no credentials for {key} (none in {configFile})")
            : new RegistryLogin(registry, new RegistryCredential { Username = entry.Username, Password = entry.Password, IdentityToken = entry.IdentityToken }, $"auths in {configFile}");
    }

    private sealed class CredentialHelperException(string message) : Exception(message);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex HelperName();

    /// <summary>docker-credential-helpers' <c>client.Get</c>: the key on standard input, JSON or an error on standard output.</summary>
    private static async Task<RegistryCredential?> RunHelperAsync(string helper, string key, TimeSpan timeout, Func<string, string?> env, CancellationToken cancellationToken)
    {
        // A name is a program on PATH, never a path: a config file must not choose what runs.
        if (!HelperName().IsMatch(helper))
        {
            throw new CredentialHelperException($"'{helper}' is not a helper name");
        }

        var start = new ProcessStartInfo(FindOnPath($"docker-credential-{helper}", env) ?? throw new CredentialHelperException("it is not on PATH"), "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new CredentialHelperException("it could not be started");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(key).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited without reading what it was asked (a helper that always fails): its answer says why.
            }

            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            var text = (await output.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                return text == NotFoundMessage ? null
                    : throw new CredentialHelperException($"exit code {process.ExitCode}: {Cut(text.Length > 0 ? text : (await error.ConfigureAwait(false)).Trim())}");
            }

            var answer = JsonSerializer.Deserialize<HelperAnswer>(text) ?? throw new CredentialHelperException("it answered null");
            return answer.Username == TokenUsername
                ? new RegistryCredential { IdentityToken = answer.Secret }
                : new RegistryCredential { Username = answer.Username, Password = answer.Secret };
        }
        catch (JsonException)
        {
            throw new CredentialHelperException("its answer is not the helper protocol's JSON");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CredentialHelperException($"it did not answer within {timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private sealed record HelperAnswer(string? ServerURL, string? Username, string? Secret);

    private static string? FindOnPath(string program, Func<string, string?> env) =>
        (env("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    /// <summary>A helper's error text, cut: it could echo anything.</summary>
    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
