namespace ImActors.Edge.Tls;

/// <summary>
/// TLS at the edge, bound from the "Tls" section (env: Tls__CertificatePath, ...). Off unless a certificate is named:
/// then the edge opens a TLS TCP listener and an HTTPS (wss) listener on ports of their own, next to the plain ones
/// (decision 104).
/// </summary>
public sealed class TlsSettings
{
    public const string Section = "Tls";

    /// <summary>A PFX (PKCS#12) file, or a PEM certificate (its chain may follow it in the same file). Empty: no TLS.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PEM private key of a PEM certificate; empty when the key is in the certificate file (PEM or PFX).</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>The PFX's password, or the password of an encrypted PEM key.</summary>
    public string Password { get; set; } = "";

    /// <summary>The TLS TCP listener (<c>tls://host:port</c>); 0 disables it.</summary>
    public int TcpPort { get; set; } = 7443;

    /// <summary>The HTTPS listener: WebSocket over TLS (<c>wss://host:port/ws</c>) and the health endpoints; 0 disables it.</summary>
    public int HttpPort { get; set; } = 7444;

    /// <summary>
    /// When true, the plain TCP listener is not opened and the plain HTTP port refuses WebSocket upgrades (it still
    /// answers health probes): clients must come in over TLS.
    /// </summary>
    public bool Required { get; set; }

    /// <summary>How often the certificate files are checked for a change; a replaced certificate serves new connections from then on.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsEnabled => CertificatePath.Length > 0;
}
