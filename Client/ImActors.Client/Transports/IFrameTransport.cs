using ImActors.Protocol.Framing;

namespace ImActors.Client.Transports;

/// <summary>A connected transport that carries whole frames, whatever is underneath.</summary>
internal interface IFrameTransport : IAsyncDisposable
{
    /// <summary>Sends one encoded frame (length prefix included, as <see cref="FrameEncoder.Encode{T}"/> makes it).</summary>
    ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken);

    /// <summary>The next frame, or null when the server closed the connection.</summary>
    ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken);
}

internal static class FrameTransports
{
    public static async Task<IFrameTransport> ConnectAsync(Uri server, int maxFrameBytes, CertificateTrust trust, CancellationToken cancellationToken) =>
        server.Scheme switch
        {
            "tcp" or "tls" => await TcpFrameTransport.ConnectAsync(server, maxFrameBytes, trust, cancellationToken),
            "ws" or "wss" => await WebSocketFrameTransport.ConnectAsync(server, maxFrameBytes, trust, cancellationToken),
            _ => throw new ArgumentException($"unsupported server address {server}: use tcp://, tls://, ws:// or wss://"),
        };
}
