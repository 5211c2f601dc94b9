using ImActors.Grains.Interfaces.Messages;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Delivery;

/// <summary>The one place a stored message becomes a wire frame.</summary>
public static class MessageFrames
{
    public static MessageFrame From(StoredMessage m) => new()
    {
        Id = m.Id, Seq = m.Seq, From = m.From, To = m.To, Timestamp = m.Timestamp, ContentType = m.ContentType, Body = m.Body,
    };
}
