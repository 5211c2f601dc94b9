using ImActors.Protocol.Compression;

namespace ImActors.Edge.Compression;

/// <summary>Message body compression on the wire, bound from the "Compression" section (env: Compression__Threshold, ...); decision 105.</summary>
public sealed class CompressionSettings
{
    public const string Section = "Compression";

    /// <summary>Offer body compression to clients that ask for it in their hello. Off: every body travels as stored, and compressed sends are refused.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Bodies the edge sends of more than this many bytes are compressed, when that saves at least 20%.</summary>
    public int Threshold { get; set; } = BodyCompression.DefaultThreshold;

    /// <summary>
    /// WebSocket permessage-deflate, for clients that offer it. Off by default: even tuned it costs tens of KB per
    /// connection (a window and a compressor each way), where the body compression above costs nothing while idle.
    /// </summary>
    public bool WebSocketDeflate { get; set; }

    /// <summary>The server's LZ77 window for permessage-deflate, 9-15 bits: 9 keeps each connection's compressor small.</summary>
    public int WebSocketWindowBits { get; set; } = 9;

    /// <summary>
    /// How a WebSocket is accepted: with permessage-deflate when enabled and the client offers it, without the server's
    /// context takeover (no window kept between messages) and with a small window, so memory per connection stays bounded.
    /// </summary>
    public WebSocketAcceptContext WebSocketAcceptContext() => WebSocketDeflate
        ? new WebSocketAcceptContext
        {
            DangerousEnableCompression = true, DisableServerContextTakeover = true, ServerMaxWindowBits = Math.Clamp(WebSocketWindowBits, 9, 15),
        }
        : new WebSocketAcceptContext();
}
