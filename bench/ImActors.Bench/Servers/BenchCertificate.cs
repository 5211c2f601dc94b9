using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImActors.Bench.Servers;

/// <summary>
/// The certificate of a TLS run: self-signed for 127.0.0.1, made for the run and written as a PFX the edges serve.
/// The generators trust exactly this certificate (pinned by thumbprint), so nothing skips validation.
/// </summary>
public static class BenchCertificate
{
    public static string CreatePfx()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=imactors-bench", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        var path = Path.Combine(Directory.CreateTempSubdirectory("imactors-bench-tls-").FullName, "edge.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return path;
    }

    /// <summary>Accepts the edge's certificate only if it is the run's own (and names the address connected to).</summary>
    public static Func<object, X509Certificate?, X509Chain?, System.Net.Security.SslPolicyErrors, bool> Pinned(string pfxPath)
    {
        var thumbprint = X509CertificateLoader.LoadPkcs12FromFile(pfxPath, null).Thumbprint;
        return (_, presented, _, errors) =>
            presented is not null && presented.GetCertHashString() == thumbprint &&
            (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == 0;
    }
}
