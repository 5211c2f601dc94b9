using System.Buffers;
using System.IO.Pipelines;
using ImActors.Edge.Admission;
using ImActors.Edge.Dispatch;
using ImActors.Edge.Limits;
using ImActors.Edge.Metrics;
using ImActors.Edge.Sessions;
using ImActors.Protocol;
using ImActors.Protocol.Framing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ImActors.Edge.Hosting;

namespace ImActors.Edge.Connections;

/// <summary>
/// Runs the protocol over a transport's duplex pipe: the one entry point every transport uses. It reads frames
/// with the protocol's <see cref="FrameReader"/>, enforces the frame size limit, keeps the heartbeat's clock and
/// hands each frame to the <see cref="FrameDispatcher"/>. Frames of one connection are handled one at a time, in
/// order, so a client's sends reach the cluster in the order it sent them.
/// </summary>
/// <remarks>
/// The files a 1:1 message passes through, from the sender's socket to the recipient's:
/// <list type="number">
/// <item><c>Transports/TcpFrameHandler.cs</c> (Kestrel's pipe as is) or <c>Transports/WebSocketTransport.cs</c>
/// (one binary message becomes one length-prefixed frame).</item>
/// <item><c>Connections/ConnectionLoop.cs</c>: the frame is cut from the pipe (<c>Protocol/Framing/FrameReader.cs</c>)
/// and decoded (<c>Protocol/Framing/FrameDecoder.cs</c>).</item>
/// <item><c>Dispatch/FrameDispatcher.cs</c>: a send frame goes to <c>Dispatch/SendHandler.cs</c>, which checks it.</item>
/// <item><c>Calls/ClusterCalls.cs</c> (<c>TransientRetry.cs</c>, <c>GrainErrors.cs</c>): the recipient's user grain
/// stores it; the ack goes back through <c>Connections/ClientConnection.cs</c> and <c>OutboundQueue.cs</c>.</item>
/// <item>The grain pushes it to the recipient's edge: <c>Delivery/EdgeDeliveryEndpoint.cs</c> encodes it once
/// (<c>Delivery/MessageFrames.cs</c>) and finds the connections (<c>Sessions/LocalConnections.cs</c>).</item>
/// <item><c>Connections/ClientConnection.cs</c> (the welcome gate), then <c>Connections/OutboundQueue.cs</c>, which
/// writes it to the transport's pipe: Kestrel's socket, or <c>Transports/WebSocketTransport.cs</c>.</item>
/// </list>
/// </remarks>
public sealed class ConnectionLoop(
    FrameDispatcher dispatcher,
    FrameBudget budget,
    EdgeCapacity capacity,
    LocalConnections connections,
    IOptions<EdgeSettings> settings,
    EdgeClock time,
    EdgeMetrics metrics,
    ILogger<ClientConnection> logger)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FullRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A connection's whole life: a slot of the edge's connection limit taken (or a 503 refusal), registered with <see cref="LocalConnections"/>, frames read until either side
    /// ends it, queued frames drained, the session ended, unregistered; ends when the connection is closed and
    /// unregistered. One state machine per idle connection: the read loop is inlined here and writes run only
    /// while there is something to write.
    /// </summary>
    /// <param name="transportName">"tcp" or "ws": the connections metric counts by it.</param>
    public async Task RunAsync(IDuplexPipe transport, Action abort, string transportName)
    {
        if (!capacity.TryEnter())
        {
            metrics.Opened(transportName);
            metrics.Ended(transportName, ErrorCodes.Unavailable);
            await Refusal.WriteAsync(transport.Output, ErrorCodes.Unavailable,
                $"this edge is at its limit of {capacity.Max} connections; try another edge", FullRetryAfter);
            return;
        }

        var maxFrameBytes = settings.Value.MaxFrameBytes;
        var connection = new ClientConnection(connections.NextId(), transport, settings.Value.SendQueueLimit, logger, time.GetTimestamp());
        connections.Add(connection);
        metrics.Opened(transportName);
        try
        {
            try
            {
                var input = transport.Input;
                var open = true;
                while (open && !connection.IsClosing)
                {
                    var result = await input.ReadAsync();
                    var buffer = result.Buffer;
                    try
                    {
                        while (!connection.IsClosing)
                        {
                            var status = FrameReader.TryRead(ref buffer, maxFrameBytes, out var payload, out var length);
                            if (status == FrameReadStatus.Incomplete)
                            {
                                // Part of a frame is here: the frame deadline runs from its first bytes (DeadlineSweep).
                                if (buffer.Length > 0 && connection.FrameStartedAt == 0)
                                {
                                    connection.FrameStartedAt = time.GetTimestamp();
                                }

                                break;
                            }

                            connection.FrameStartedAt = 0;
                            connection.MarkActive();
                            if (status == FrameReadStatus.TooLarge)
                            {
                                connection.Refuse(ErrorCodes.FrameTooLarge, $"frame of {length} bytes is over the maximum of {maxFrameBytes}");
                            }
                            else if (status == FrameReadStatus.Empty)
                            {
                                connection.Refuse(ErrorCodes.MalformedFrame, "empty frame");
                            }
                            else
                            {
                                await HandleAsync(connection, payload);
                            }
                        }

                        open = !result.IsCompleted && !result.IsCanceled;
                    }
                    finally
                    {
                        input.AdvanceTo(buffer.Start, buffer.End);
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException)
            {
                // The peer went away: nothing to report.
            }
            catch (Exception e)
            {
                logger.LogError(e, "Connection {ConnectionId} failed", connection.Id);
            }
            finally
            {
                var drained = connection.CompleteAndDrainAsync();
                if (!drained.IsCompleted && await Task.WhenAny(drained, Task.Delay(DrainTimeout)) != drained)
                {
                    // The client stopped reading and its socket is full: drop the connection hard.
                    abort();
                }

                await transport.Output.CompleteAsync();
                budget.Release(connection);
                await dispatcher.OnClosedAsync(connection);
            }
        }
        finally
        {
            connections.Remove(connection);
            capacity.Leave();
            metrics.Ended(transportName, connection.CloseCode);
        }
    }

    private Task HandleAsync(ClientConnection connection, ReadOnlySequence<byte> payload)
    {
        Frame frame;
        try
        {
            frame = FrameDecoder.Decode(payload);
        }
        catch (ProtocolViolationException e) when (e.Code == ErrorCodes.UnknownKind)
        {
            // The framing is intact, so whether to carry on is the dispatcher's call.
            dispatcher.OnUnknownKind(connection, e.Message);
            return Task.CompletedTask;
        }
        catch (ProtocolViolationException e)
        {
            connection.Refuse(e.Code, e.Message);
            return Task.CompletedTask;
        }

        return budget.Admit(connection, frame, payload.Length) ? dispatcher.DispatchAsync(connection, frame) : Task.CompletedTask;
    }
}
