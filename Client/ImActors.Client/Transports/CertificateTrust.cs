using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ImActors.Client.Transports;

/// <summary>
/// Decides whether an edge's certificate is trusted: the system's trust store, plus the certificates of
/// <see cref="ImClientOptions.TrustedCertificatesPath"/> (an edge's self-signed certificate, or a private CA) as extra
/// roots. The host name is always checked; nothing is ever accepted just because it was asked for. One per connection
/// attempt, so that the refusal it reports is this attempt's.
/// </summary>
internal sealed class CertificateTrust(X509Certificate2Collection extraRoots)
{
    private readonly X509Certificate2Collection _extraRoots = extraRoots;

    /// <summary>Why the certificate was refused, for the error the caller reports; null while none was.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>The certificates of <see cref="ImClientOptions.TrustedCertificatesPath"/>: a PEM bundle or one DER certificate; empty when none is set.</summary>
    public static X509Certificate2Collection LoadRoots(string? path)
    {
        var roots = new X509Certificate2Collection();
        if (path is { Length: > 0 })
        {
            // ImportFromPemFile takes every certificate of a PEM bundle; a DER file holds one.
            if (File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                roots.ImportFromPemFile(path);
            }
            else
            {
                roots.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
        }

        return roots;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && _extraRoots.Count > 0 && ChainsToExtraRoot(certificate, chain))
        {
            return true;
        }

        LastRefusal = certificate is null
            ? "the edge sent no certificate"
            : $"the edge's certificate ({certificate.Subject}) is not trusted: {Describe(errors, chain)}" +
              (_extraRoots.Count == 0 ? "; for a self-signed certificate or a private CA, trust its file (TrustedCertificatesPath, imctl --trust-cert)" : "");
        return false;
    }

    /// <summary>Builds the chain again with the extra roots as the only anchors: a self-signed edge certificate or a private CA.</summary>
    private bool ChainsToExtraRoot(X509Certificate certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        // A private CA publishes no revocation lists, and the roots were handed over explicitly.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainElements.Select(e => e.Certificate).ToArray());
        }

        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain)
    {
        var parts = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            parts.Add("it does not name the host connected to");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct() ?? [];
            parts.Add($"its chain does not end at a trusted root ({string.Join(", ", statuses)})");
        }

        return string.Join("; ", parts);
    }
}
