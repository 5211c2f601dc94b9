using System.Security.Cryptography.X509Certificates;

namespace ImActors.Edge.Tls;

/// <summary>Reads the configured certificate files into a certificate with its private key: PFX, or PEM (key inline or apart).</summary>
public static class CertificateFiles
{
    public static X509Certificate2 Load(TlsSettings settings)
    {
        var path = settings.CertificatePath;
        var password = settings.Password.Length > 0 ? settings.Password : null;
        if (!IsPem(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        var keyPath = settings.KeyPath.Length > 0 ? settings.KeyPath : path;
        var certificate = password is null
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"the certificate in {path} has no private key: name its key file in Tls:KeyPath");
        }

        return certificate;
    }

    /// <summary>The files whose change means a new certificate.</summary>
    public static string[] Watched(TlsSettings settings) =>
        settings.KeyPath.Length > 0 ? [settings.CertificatePath, settings.KeyPath] : [settings.CertificatePath];

    // A PEM file has a "-----BEGIN" line near its start (tools put comments or bag attributes before it); anything else
    // is taken for PKCS#12, whatever the file's name.
    private static bool IsPem(string path)
    {
        Span<byte> start = stackalloc byte[4096];
        using var file = File.OpenRead(path);
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return start[..read].IndexOf("-----BEGIN "u8) >= 0;
    }
}
