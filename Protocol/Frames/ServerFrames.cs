using MessagePack;

namespace ImActors.Protocol.Frames;

// Frames the server sends.

/// <summary>Answer to a successful hello.</summary>
[MessagePackObject]
public sealed class WelcomeFrame
{
    [Key("version")] public int Version { get; set; }
    [Key("session")] public string Session { get; set; } = "";
    [Key("user")] public string User { get; set; } = "";
    [Key("serverTime")] public long ServerTime { get; set; }
    /// <summary>Send something at least this often; a connection silent for three intervals is closed.</summary>
    [Key("heartbeatMs")] public int HeartbeatMs { get; set; }
    /// <summary>The highest seq in the user's inbox now: a client with nothing stored starts here.</summary>
    [Key("inboxSeq")] public long InboxSeq { get; set; }
    [Key("maxFrame")] public int MaxFrameBytes { get; set; }
}

/// <summary>A send was stored durably. <see cref="Seq"/> is the message's seq in the sender's own inbox.</summary>
[MessagePackObject]
public sealed class AckFrame
{
    [Key("cmid")] public string ClientMessageId { get; set; } = "";
    [Key("id")] public string MessageId { get; set; } = "";
    [Key("seq")] public long Seq { get; set; }
    [Key("ts")] public long Timestamp { get; set; }
    /// <summary>True when this answers a retry of a send that was already stored.</summary>
    [Key("duplicate")] public bool Duplicate { get; set; }
}

/// <summary>Something the client sent was refused. See <see cref="ErrorCodes"/>.</summary>
[MessagePackObject]
public sealed class ErrorFrame
{
    [Key("code")] public int Code { get; set; }
    [Key("name")] public string Name { get; set; } = "";
    [Key("reason")] public string Reason { get; set; } = "";
    /// <summary>True when sending the same frame again later may succeed.</summary>
    [Key("retryable")] public bool Retryable { get; set; }
    /// <summary>The client message id of the send this error answers, when it answers one.</summary>
    [Key("cmid")] public string? ClientMessageId { get; set; }
}

/// <summary>One message of a user's inbox: pushed live, or returned in a sync page.</summary>
[MessagePackObject]
public sealed class MessageFrame
{
    [Key("id")] public string Id { get; set; } = "";
    [Key("seq")] public long Seq { get; set; }
    [Key("from")] public string From { get; set; } = "";
    [Key("to")] public string To { get; set; } = "";
    [Key("ts")] public long Timestamp { get; set; }
    [Key("contentType")] public string ContentType { get; set; } = ContentTypes.Text;
    [Key("body")] public byte[] Body { get; set; } = [];
}

/// <summary>Answer to a sync: messages in seq order, gap-free within the retained log.</summary>
[MessagePackObject]
public sealed class SyncPageFrame
{
    [Key("messages")] public MessageFrame[] Messages { get; set; } = [];
    [Key("hasMore")] public bool HasMore { get; set; }
    [Key("inboxSeq")] public long InboxSeq { get; set; }
}

[MessagePackObject]
public sealed class PongFrame
{
    [Key("t")] public long T { get; set; }
}

/// <summary>The server is about to close the connection (kicked, replaced, heartbeat timeout, overflow, shutdown).</summary>
[MessagePackObject]
public sealed class ClosingFrame
{
    [Key("code")] public int Code { get; set; }
    [Key("reason")] public string Reason { get; set; } = "";
}
