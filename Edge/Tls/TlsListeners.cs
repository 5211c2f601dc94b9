using System.Net;
using System.Net.Security;
using ImActors.Edge.Admission;
using ImActors.Edge.Health;
using ImActors.Edge.Transports;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace ImActors.Edge.Tls;

/// <summary>The TLS listeners: Kestrel's own TLS in front of the same protocol the plain listeners speak.</summary>
public static class TlsListeners
{
    public static void ListenTls(this KestrelServerOptions kestrel, IPAddress ip, TlsSettings settings, ServerCertificate certificate, int maxHttpConnections)
    {
        // A callback per handshake rather than a fixed certificate: it is what lets a reloaded certificate reach new
        // connections without restarting the listener (and so without touching connections already open).
        var handshake = new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = certificate.Context }),
        };
        if (settings.TcpPort > 0)
        {
            // TLS first, then the address limits: a refusal is then an error frame the client can read, like on
            // plain TCP. The handshake it costs is bounded by Kestrel's handshake timeout (10 s).
            kestrel.Listen(ip, settings.TcpPort, listen => listen
                .UseHttps(handshake)
                .UseReadiness()
                .UseAddressLimits(listen.ApplicationServices.GetRequiredService<AddressLimiter>())
                .UseConnectionHandler<TcpFrameHandler>());
        }

        if (settings.HttpPort > 0)
        {
            kestrel.Listen(ip, settings.HttpPort, listen =>
            {
                // WebSocket upgrades are HTTP/1.1 requests; offering h2 through ALPN would only make clients choose it.
                listen.Protocols = HttpProtocols.Http1;
                listen.UseConnectionLimit(maxHttpConnections);
                listen.UseHttps(handshake);
            });
        }
    }
}
