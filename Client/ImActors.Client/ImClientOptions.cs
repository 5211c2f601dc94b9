using ImActors.Protocol;
using ImActors.Protocol.Compression;

namespace ImActors.Client;

public sealed class ImClientOptions
{
    /// <summary>Edges to try, in order: <c>tcp://host:port</c>, <c>tls://host:port</c>, <c>ws://host:port/ws</c> or <c>wss://host:port/ws</c>.</summary>
    public IReadOnlyList<Uri> Servers { get; set; } = [new Uri($"tcp://127.0.0.1:{ProtocolDefaults.TcpPort}")];

    /// <summary>
    /// An edge's HTTP address (<c>http://host:7401</c>) whose <c>GET /edges</c> lists the edges with weights by load; when
    /// set, each connect picks an edge from that list (smooth weighted round robin) and falls back to
    /// <see cref="Servers"/> when the list cannot be read. Null: <see cref="Servers"/> in order.
    /// </summary>
    public Uri? EdgeDirectory { get; set; }

    /// <summary>With <see cref="EdgeDirectory"/>: connect to the listed edges' WebSocket addresses instead of their TCP ones.</summary>
    public bool PreferWebSocket { get; set; }

    /// <summary>
    /// Returns a valid token; called on every (re)connect, and before the session's token expires (see
    /// <see cref="TokenRenewBefore"/>), whose answer is sent in a <c>reauth</c> frame so the connection stays open.
    /// </summary>
    public required Func<CancellationToken, ValueTask<string>> TokenProvider { get; set; }

    /// <summary>This device's id: one live connection per (user, device); a second one replaces the first.</summary>
    public string Device { get; set; } = "sdk-" + Guid.NewGuid().ToString("N")[..8];

    public string Platform { get; set; } = "dotnet";

    /// <summary>
    /// The last inbox seq this device already holds. Messages after it are synced on connect. Null: start
    /// at the inbox's current end (receive only what arrives from now on).
    /// </summary>
    public long? ResumeAfterSeq { get; set; }

    /// <summary>
    /// Per group, the last timeline seq this device already holds. Groups not listed are read from the user's join.
    /// Null together with <see cref="ResumeAfterSeq"/>: start every group at its current end.
    /// </summary>
    public IReadOnlyDictionary<string, long>? ResumeGroups { get; set; }

    /// <summary>How long a request (group management, conversations, read marks, recalls) waits for its answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt waits for an ACK before the send is retried with the same client message id.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="ImClient.SendAsync(string,string,byte[],string?,CancellationToken)"/> keeps retrying in all.</summary>
    public TimeSpan SendDeadline { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ReconnectDelayMin { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int SyncPageSize { get; set; } = ProtocolDefaults.SyncPageSize;

    /// <summary>How long before the token's expiry a fresh one is asked of <see cref="TokenProvider"/> and sent (at most half the token's remaining life).</summary>
    public TimeSpan TokenRenewBefore { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock token renewal is scheduled by; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// A PEM (one or more certificates) or DER file whose certificates are trusted as roots for <c>tls://</c> and
    /// <c>wss://</c> edges, besides the system's: an edge's self-signed certificate, or the private CA that signed it.
    /// The edge's host name is checked all the same. Null: the system's trust store only.
    /// </summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>
    /// Offer body compression in the hello: when the edge agrees, bodies over <see cref="CompressionThreshold"/> bytes are
    /// sent compressed if that saves at least 20%, and the edge does the same with what it sends. Bodies reach the
    /// application as they were sent either way.
    /// </summary>
    public bool Compression { get; set; } = true;

    public int CompressionThreshold { get; set; } = BodyCompression.DefaultThreshold;
}
