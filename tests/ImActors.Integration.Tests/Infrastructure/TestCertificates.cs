using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// Certificates made in the test, written where an edge and a client read them: a private CA, and edge certificates
/// for 127.0.0.1 (self-signed, or issued by the CA). ECDSA P-256 keys, which are quick to make.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "imactors-tls-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A CA with no key usage beyond signing certificates, valid for a day.</summary>
    public static X509Certificate2 NewAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>
    /// An edge certificate for 127.0.0.1 and localhost (or for <paramref name="otherHost"/> alone): self-signed, or issued
    /// by <paramref name="authority"/>.
    /// </summary>
    public static X509Certificate2 NewEdgeCertificate(string name, X509Certificate2? authority = null, string? otherHost = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (otherHost is null)
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
        }
        else
        {
            names.AddDnsName(otherHost);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        if (authority is null)
        {
            return request.CreateSelfSigned(notBefore, DateTimeOffset.UtcNow.AddDays(1));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(authority, notBefore, DateTimeOffset.UtcNow.AddHours(12), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate and its key as two PEM files; returns their paths.</summary>
    public (string Certificate, string Key) WritePem(X509Certificate2 certificate, string name)
    {
        var certificatePath = Path.Combine(Folder, name + ".crt");
        var keyPath = Path.Combine(Folder, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>The certificate without its key, as a client trusts it.</summary>
    public string WritePublic(X509Certificate2 certificate, string name)
    {
        var path = Path.Combine(Folder, name + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>
    /// Writes (or replaces) a PFX at <paramref name="path"/> the way deployment tools do: a new file moved over the
    /// old one, so a reader never sees half of it.
    /// </summary>
    public static void WritePfx(X509Certificate2 certificate, string path, string password)
    {
        var next = path + ".next";
        File.WriteAllBytes(next, certificate.Export(X509ContentType.Pfx, password));
        File.Move(next, path, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
