using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ImActors.Edge.Tls;

/// <summary>
/// The certificate the TLS listeners present, swapped in place when its files change: each handshake takes whatever
/// is current, so new connections get a renewed certificate while open ones keep the session they negotiated.
/// The chain is built once per load (<see cref="SslStreamCertificateContext"/>), not once per handshake.
/// </summary>
public sealed class ServerCertificate
{
    private readonly TlsSettings _settings;
    private volatile SslStreamCertificateContext _context;
    private FileStamp[] _stamps;

    /// <summary>Loads the configured files now: a certificate that cannot be read stops the edge before it listens.</summary>
    public ServerCertificate(TlsSettings settings)
    {
        _settings = settings;
        _stamps = FileStamp.Of(CertificateFiles.Watched(settings));
        _context = ContextOf(CertificateFiles.Load(settings));
    }

    public SslStreamCertificateContext Context => _context;

    public X509Certificate2 Certificate => _context.TargetCertificate;

    /// <summary>
    /// Loads the files again if they changed since the last attempt. Returns the new certificate, or null when nothing
    /// changed; throws when they changed into something unreadable (half written, a wrong password), and the current
    /// certificate stays until the files change again.
    /// </summary>
    public X509Certificate2? ReloadIfChanged()
    {
        var stamps = FileStamp.Of(CertificateFiles.Watched(_settings));
        if (stamps.SequenceEqual(_stamps))
        {
            return null;
        }

        // Remembered before loading: a broken file is reported once, not on every check until it is fixed.
        _stamps = stamps;
        var certificate = CertificateFiles.Load(_settings);
        _context = ContextOf(certificate);
        return certificate;
    }

    private static SslStreamCertificateContext ContextOf(X509Certificate2 certificate) =>
        SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);

    /// <summary>What tells a changed file from an unchanged one without reading it.</summary>
    private readonly record struct FileStamp(DateTime WrittenAt, long Length)
    {
        public static FileStamp[] Of(string[] paths) => paths.Select(p => new FileInfo(p)).Select(f => f.Exists ? new FileStamp(f.LastWriteTimeUtc, f.Length) : default).ToArray();
    }
}
