using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Edge.Delivery;

/// <summary>
/// The grain observer through which the cluster pushes to this edge. It only hands work on: encode the
/// frame once, queue the same bytes on each target connection. It never waits on a socket.
/// </summary>
public sealed class EdgeDeliveryEndpoint(LocalConnections connections) : IEdgeDelivery
{
    public Task Deliver(StoredMessage message, long[] connectionIds)
    {
        var frame = FrameEncoder.Encode(FrameKind.Message, MessageFrames.From(message));
        foreach (var id in connectionIds)
        {
            // A connection that closed since the grain looked is simply gone: the device syncs on reconnect.
            connections.Find(id)?.Send(frame);
        }

        return Task.CompletedTask;
    }

    public Task Close(long connectionId, int code, string reason)
    {
        connections.Find(connectionId)?.Close(code, reason);
        return Task.CompletedTask;
    }
}
