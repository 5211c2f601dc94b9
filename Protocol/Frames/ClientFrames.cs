using MessagePack;

namespace ImActors.Protocol.Frames;

// Frames a client sends. String keys keep the format readable from any MessagePack library and let
// fields be added without breaking older peers (unknown keys are ignored).

/// <summary>First frame on every connection: who the client is and which protocol versions it speaks.</summary>
[MessagePackObject]
public sealed class HelloFrame
{
    [Key("token")] public string Token { get; set; } = "";
    [Key("device")] public string Device { get; set; } = "";
    [Key("platform")] public string Platform { get; set; } = "";
    /// <summary>Every protocol version the client speaks; the server picks the highest it also speaks.</summary>
    [Key("versions")] public int[] Versions { get; set; } = [];
}

/// <summary>A 1:1 message to send. Retrying with the same <see cref="ClientMessageId"/> never creates a second message.</summary>
[MessagePackObject]
public sealed class SendFrame
{
    [Key("cmid")] public string ClientMessageId { get; set; } = "";
    [Key("to")] public string To { get; set; } = "";
    [Key("contentType")] public string ContentType { get; set; } = ContentTypes.Text;
    [Key("body")] public byte[] Body { get; set; } = [];
}

/// <summary>The client has every inbox message up to and including <see cref="UpTo"/>.</summary>
[MessagePackObject]
public sealed class DeliveredFrame
{
    [Key("upTo")] public long UpTo { get; set; }
}

/// <summary>Asks for inbox messages with seq greater than <see cref="After"/>, at most <see cref="Limit"/> of them.</summary>
[MessagePackObject]
public sealed class SyncFrame
{
    [Key("after")] public long After { get; set; }
    [Key("limit")] public int Limit { get; set; } = ProtocolDefaults.SyncPageSize;
}

/// <summary>Heartbeat. Any frame counts as liveness; a ping is what an idle client sends.</summary>
[MessagePackObject]
public sealed class PingFrame
{
    /// <summary>Opaque to the server and echoed in the pong (clients put their clock here to time round trips).</summary>
    [Key("t")] public long T { get; set; }
}
