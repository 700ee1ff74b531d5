using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.X509;

namespace VolumeGen.Engine;

/// <summary>
/// The client side of a TLS engine endpoint, as the docker CLI does it with <c>--tlsverify</c>: the
/// client certificate from <c>cert.pem</c>/<c>key.pem</c>, and the engine's certificate accepted only
/// when it chains to <c>ca.pem</c> (and nothing else: not the machine's trust store) and names the
/// host dialled. Docker.DotNet's own CA check ignores the host name; this one does not. The last
/// reason a certificate was refused is kept, so the connection error can say which check failed.
/// </summary>
internal sealed class EngineTlsAuth
{
    private readonly X509Certificate2Collection _authorities;

    private EngineTlsAuth(X509Certificate2 client, X509Certificate2Collection authorities)
    {
        Client = client;
        _authorities = authorities;
    }

    public X509Certificate2 Client { get; }

    /// <summary>Why the engine's certificate was last refused; null when none was.</summary>
    public string? LastRefusal { get; private set; }

    /// <exception cref="EngineUnavailableException">A file is missing or not a PEM certificate or key.</exception>
    public static EngineTlsAuth Load(EngineTls tls, string endpoint)
    {
        string Required(string name) => Path.Combine(tls.CertPath, name) is var path && File.Exists(path)
            ? path
            : throw new EngineUnavailableException(endpoint, $"TLS is on but {path} is missing (the CA, client certificate and key go in {tls.CertPath} as ca.pem, cert.pem and key.pem)");
        var ca = Required("ca.pem");
        var cert = Required("cert.pem");
        var key = Required("key.pem");
        try
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(ca);
            return new EngineTlsAuth(X509Certificate2.CreateFromPemFile(cert, key), authorities);
        }
        catch (CryptographicException e)
        {
            throw new EngineUnavailableException(endpoint, $"the TLS files in {tls.CertPath} cannot be read as PEM certificates and key ({e.Message})", e);
        }
    }

    public CertificateCredentials Credentials() => new(Client) { ServerCertificateValidationCallback = Validate };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return Refuse("the engine sent no certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return Refuse("the engine's certificate is not issued for the host name or address dialled");
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return own.Build(presented) || Refuse($"the engine's certificate does not chain to the CA in ca.pem ({string.Join(", ", own.ChainStatus.Select(s => s.StatusInformation.Trim()))})");
    }

    private bool Refuse(string why)
    {
        LastRefusal = why;
        return false;
    }
}
