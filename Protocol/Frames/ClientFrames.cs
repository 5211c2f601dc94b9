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
    /// <summary>The body compressions the client can read (today only "deflate"); empty: send it bodies as they are.</summary>
    [Key("compression")] public string[] Compression { get; set; } = [];
}

/// <summary>
/// A message to send: to a user (<see cref="To"/>) or to a group (<see cref="Group"/>), exactly one of them.
/// Retrying with the same <see cref="ClientMessageId"/> never creates a second message.
/// </summary>
[MessagePackObject]
public sealed class SendFrame
{
    [Key("cmid")] public string ClientMessageId { get; set; } = "";
    [Key("to")] public string? To { get; set; }
    [Key("group")] public string? Group { get; set; }
    [Key("contentType")] public string ContentType { get; set; } = ContentTypes.Text;
    [Key("body")] public byte[] Body { get; set; } = [];
    /// <summary>"deflate" when <see cref="Body"/> is compressed (the edge inflates it before storing); null or "" when it is as it is.</summary>
    [Key("compression")] public string? Compression { get; set; }
}

/// <summary>The client has every inbox message up to and including <see cref="UpTo"/>.</summary>
[MessagePackObject]
public sealed class DeliveredFrame
{
    [Key("upTo")] public long UpTo { get; set; }
}

/// <summary>
/// Asks for messages with seq greater than <see cref="After"/>, at most <see cref="Limit"/> of them: of the inbox,
/// or of a group's timeline when <see cref="Group"/> is set.
/// </summary>
[MessagePackObject]
public sealed class SyncFrame
{
    [Key("group")] public string? Group { get; set; }
    /// <summary>Optional: echoed in the sync page or the error that answers this sync, to tell concurrent syncs apart.</summary>
    [Key("rid")] public string? RequestId { get; set; }
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

/// <summary>
/// A request answered by one <see cref="ResultFrame"/> or <see cref="ErrorFrame"/> carrying the same <see cref="RequestId"/>.
/// <see cref="Op"/> is one of <see cref="RequestOps"/>; which other fields it reads is documented there.
/// </summary>
[MessagePackObject]
public sealed class RequestFrame
{
    [Key("rid")] public string RequestId { get; set; } = "";
    [Key("op")] public string Op { get; set; } = "";
    [Key("group")] public string? Group { get; set; }
    [Key("peer")] public string? Peer { get; set; }
    [Key("members")] public string[]? Members { get; set; }
    [Key("member")] public string? Member { get; set; }
    [Key("role")] public string? Role { get; set; }
    [Key("muted")] public bool Muted { get; set; }
    [Key("open")] public bool Open { get; set; }
    [Key("seq")] public long Seq { get; set; }
    [Key("after")] public string? After { get; set; }
    [Key("limit")] public int Limit { get; set; }
}

/// <summary>
/// "I am typing": to a user (<see cref="Peer"/>) or in a group (<see cref="Group"/>). Ephemeral and rate-limited.
/// The server sends the same frame with <see cref="From"/> set to the online participants.
/// </summary>
[MessagePackObject]
public sealed class TypingFrame
{
    [Key("peer")] public string? Peer { get; set; }
    [Key("group")] public string? Group { get; set; }
    [Key("from")] public string? From { get; set; }
}

/// <summary>
/// A fresh token for the live session, sent before the current one expires: the connection then lives until the new
/// token's expiry. Its <c>sub</c> must be the session's user. Answered by <see cref="ReauthedFrame"/> or an error.
/// </summary>
[MessagePackObject]
public sealed class ReauthFrame
{
    [Key("token")] public string Token { get; set; } = "";
}

/// <summary>
/// A refresh token exchanged for a fresh access token and the next refresh token (decision 106), before the hello or
/// during the session (then it also extends the session, like a reauth). Answered by <see cref="RefreshedFrame"/> or an error.
/// </summary>
[MessagePackObject]
public sealed class RefreshFrame
{
    [Key("token")] public string Token { get; set; } = "";
}
