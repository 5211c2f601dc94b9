namespace ImActors.Edge.Tls;

/// <summary>
/// Checks the certificate files every <see cref="TlsSettings.ReloadInterval"/> and swaps in a changed certificate.
/// Polling rather than a file-system watcher: a watcher misses the symlink swap with which orchestrators replace
/// mounted secrets, and a check of two file stamps every few seconds costs nothing (decision 104).
/// </summary>
public sealed class CertificateReloader(ServerCertificate certificate, TlsSettings settings, ILogger<CertificateReloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.ReloadInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (certificate.ReloadIfChanged() is { } loaded)
                {
                    logger.LogInformation("TLS certificate reloaded: {Subject}, thumbprint {Thumbprint}, valid until {NotAfter:u}",
                        loaded.Subject, loaded.Thumbprint, loaded.NotAfter.ToUniversalTime());
                }
            }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or InvalidOperationException or UnauthorizedAccessException)
            {
                logger.LogWarning("TLS certificate files changed but could not be loaded ({Error}); still serving {Thumbprint}",
                    e.Message, certificate.Certificate.Thumbprint);
            }
        }
    }
}
