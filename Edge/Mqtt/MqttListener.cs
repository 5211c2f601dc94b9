using System.IO.Pipelines;
using System.Net;
using ImActors.Edge.Admission;
using ImActors.Edge.Connections;
using ImActors.Edge.Health;
using ImActors.Edge.Metrics;
using ImActors.Edge.Transports;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// The MQTT 3.1.1 listener (<c>Edge:MqttPort</c>): each connection is translated into the session core's frames and run by
/// the same <see cref="ConnectionLoop"/> as TCP and WebSocket (SignalR's shape: the protocol code never knows its
/// transport), so logins, limits, heartbeats, sends and pushes are the ones every client gets (decision 116).
/// </summary>
public sealed class MqttListener(
    ConnectionLoop loop, MqttCursors cursors, AddressLimiter limiter, EdgeReadiness readiness, EdgeMetrics metrics, IOptions<EdgeSettings> settings,
    ILogger<MqttListener> logger)
    : ConnectionHandler
{
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(1);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        // An address over its limits is closed before CONNECT: MQTT 3.1.1 answers nothing before a CONNECT arrives.
        using var admission = limiter.TryAdmit((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (!admission.IsGranted)
        {
            connection.Abort();
            return;
        }

        if (settings.Value.RefuseWhenNotReady && !readiness.IsReady)
        {
            // The readiness gate of the other listeners (decision 125), in MQTT's words: CONNACK 3, server unavailable,
            // and the client's next attempt goes to another edge. Sent at once, as a full edge's refusal is.
            logger.LogDebug("MQTT connection refused: the edge is not ready ({Reason})", readiness.Reason);
            metrics.RefusedNotReady("mqtt", readiness.Cause);
            MqttPacketWriter.ConnAck(connection.Transport.Output, sessionPresent: false, ConnAckCodes.ServerUnavailable);
            await connection.Transport.Output.FlushAsync();
            await connection.Transport.Output.CompleteAsync();
            return;
        }

        var toCore = new Pipe();
        var fromCore = new Pipe();
        using var link = new MqttLink(new LockedWriter(connection.Transport.Output), new LockedWriter(toCore.Writer), logger);
        // The MQTT packet limit leaves room for the send frame around a PUBLISH's payload within the frame limit.
        var maxPacket = settings.Value.MaxFrameBytes - 1024;
        var inbound = RunInboundAsync(new MqttInbound(link, cursors, maxPacket), connection.Transport.Input, link);
        var outbound = new MqttOutbound(link, cursors).RunAsync(fromCore.Reader);
        using (link.Stopping.Register(() => connection.Transport.Input.CancelPendingRead()))
        {
            await loop.RunAsync(new DuplexPipe(toCore.Reader, fromCore.Writer), connection.Abort, "mqtt");
            // Nothing reads the core's input any more: a write still waiting for room there ends now.
            await toCore.Reader.CompleteAsync();
            // The core completed its output: the last PUBACKs and publishes reach the client, then the socket closes.
            await Task.WhenAny(outbound, Task.Delay(DrainGrace));
            link.Close("session ended");
            await Task.WhenAll(inbound, Quietly(outbound));
        }

        if (link.Session is { } session)
        {
            cursors.Save(session, now: true);
        }

        await connection.Transport.Output.CompleteAsync();
    }

    /// <summary>The reader's end (the client's DISCONNECT or close, a violation, the keep-alive) is the session's end.</summary>
    private static async Task RunInboundAsync(MqttInbound inbound, PipeReader socket, MqttLink link)
    {
        try
        {
            await inbound.RunAsync(socket);
        }
        finally
        {
            await link.Core.CompleteAsync();
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }
}
