using ImActors.Protocol;

namespace ImActors.Edge;

/// <summary>The edge's own settings, bound from the "Edge" section (env: Edge__TcpPort, ...).</summary>
public sealed class EdgeSettings
{
    public const string Section = "Edge";

    /// <summary>Stable across restarts of this edge; grains find its delivery endpoint under it. Default: machine name, TCP port and HTTP port.</summary>
    public string? EdgeId { get; set; }

    /// <summary>Address the listeners bind to.</summary>
    public string ListenIp { get; set; } = "127.0.0.1";

    /// <summary>Raw TCP listener (length-prefixed frames). 0 disables it.</summary>
    public int TcpPort { get; set; } = ProtocolDefaults.TcpPort;

    /// <summary>HTTP listener for the WebSocket endpoint and health check.</summary>
    public int HttpPort { get; set; } = ProtocolDefaults.HttpPort;

    /// <summary>MQTT 3.1.1 listener (docs/mqtt.md); 0, the default, leaves it off. 7402 is the port kept for it.</summary>
    public int MqttPort { get; set; }

    public int MaxFrameBytes { get; set; } = ProtocolDefaults.MaxFrameBytes;

    /// <summary>Clients must send something this often; three silent intervals close the connection.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Frames waiting to be written to one connection. A client that does not read falls behind; when
    /// this many frames are waiting the connection is closed (the client resyncs on reconnect) rather
    /// than letting one slow reader hold unbounded memory.
    /// </summary>
    public int SendQueueLimit { get; set; } = 1024;

    /// <summary>Kept below the process's file limit so that extra connections are refused cleanly.</summary>
    public int MaxConnections { get; set; } = 18_000;

    /// <summary>
    /// Run the connections' code on the socket's own I/O thread instead of handing every read and write to the thread
    /// pool (Kestrel's <c>UnsafePreferInlineScheduling</c>): one hand-off fewer each way, and about 1.2 KiB less per
    /// idle connection (decision 86). Safe because no frame handler blocks: one that did would stall every connection
    /// on that I/O thread.
    /// </summary>
    public bool InlineSocketScheduling { get; set; } = true;

    /// <summary>The most users one connection may watch the presence of (presence.watch past it: 449).</summary>
    public int MaxWatchesPerConnection { get; set; } = 500;

    /// <summary>How long the cluster trusts this edge's registration without a renewal.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The host clients are told to connect to (<c>GET /edges</c>). Default: <see cref="ListenIp"/>, or the machine's name
    /// when that is a wildcard address.
    /// </summary>
    public string? PublicHost { get; set; }

    /// <summary>How often the edge probes its readiness (the checks of <c>/health/ready</c>) for the connection gate.</summary>
    public TimeSpan ReadinessInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Refuse new connections while not ready (decision 125): 503 before the hello, or instead of the upgrade.</summary>
    public bool RefuseWhenNotReady { get; set; } = true;

    /// <summary>How often the edge reports its load for clients' edge selection; a report stands for 6 s.</summary>
    public TimeSpan LoadReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where clients reach this edge, as <c>GET /edges</c> lists it; null for a listener that is off.</summary>
    public (string? Tcp, string? WebSocket) PublicAddresses()
    {
        var host = PublicHost is { Length: > 0 } configured ? configured
            : ListenIp is "0.0.0.0" or "::" ? Environment.MachineName : ListenIp;
        return (TcpPort > 0 ? $"tcp://{host}:{TcpPort}" : null, $"ws://{host}:{HttpPort}{ProtocolDefaults.WebSocketPath}");
    }

    public string ResolveEdgeId() => string.IsNullOrWhiteSpace(EdgeId) ? $"{Environment.MachineName}:{TcpPort}:{HttpPort}" : EdgeId;
}
