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
    /// <summary>When the hello's token expires (Unix seconds): the session is closed with 402 then, unless a reauth moves it.</summary>
    [Key("tokenExp")] public long TokenExpiresAt { get; set; }
    /// <summary>The body compression both sides use on this connection ("deflate"), or "" for none: the hello offered none the server takes.</summary>
    [Key("compression")] public string Compression { get; set; } = "";
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
    /// <summary>A 1:1 send: the message's seq in the recipient's inbox (<see cref="Seq"/> is the sender's copy's). Equal to Seq for a group send or a message to oneself.</summary>
    [Key("peerSeq")] public long PeerSeq { get; set; }
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
    /// <summary>The request id of the request this error answers, when it answers one.</summary>
    [Key("rid")] public string? RequestId { get; set; }
    /// <summary>A 429: how long to wait before sending the same frame again, in milliseconds; 0 otherwise.</summary>
    [Key("retryAfterMs")] public int RetryAfterMs { get; set; }
}

/// <summary>
/// One entry of a conversation log, pushed live or returned in a sync page: of the user's inbox, or of a group's
/// timeline when <see cref="Group"/> is set (then <see cref="Seq"/> is the group's seq).
/// </summary>
[MessagePackObject]
public sealed class MessageFrame
{
    [Key("group")] public string? Group { get; set; }
    [Key("id")] public string Id { get; set; } = "";
    [Key("seq")] public long Seq { get; set; }
    [Key("from")] public string From { get; set; } = "";
    [Key("to")] public string To { get; set; } = "";
    [Key("ts")] public long Timestamp { get; set; }
    [Key("contentType")] public string ContentType { get; set; } = ContentTypes.Text;
    [Key("body")] public byte[] Body { get; set; } = [];
    /// <summary>"deflate" when <see cref="Body"/> is compressed for this connection; null when it is as stored.</summary>
    [Key("compression")] public string? Compression { get; set; }
}

/// <summary>Answer to a sync: messages in seq order, gap-free within the retained log.</summary>
[MessagePackObject]
public sealed class SyncPageFrame
{
    /// <summary>The group the page is of; null for the inbox.</summary>
    [Key("group")] public string? Group { get; set; }
    /// <summary>The sync's rid, when it had one.</summary>
    [Key("rid")] public string? RequestId { get; set; }
    [Key("messages")] public MessageFrame[] Messages { get; set; } = [];
    [Key("hasMore")] public bool HasMore { get; set; }
    /// <summary>The log's highest seq now (the inbox's, or the group's).</summary>
    [Key("inboxSeq")] public long InboxSeq { get; set; }
    /// <summary>The reader's history starts after this seq (a group member's join, or retention); a cursor below it jumps here.</summary>
    [Key("floor")] public long Floor { get; set; }
    /// <summary>Retention has removed the log's entries up to this seq (0: none): a cursor below it lost nothing, those aged out.</summary>
    [Key("trimmed")] public long Trimmed { get; set; }
}

/// <summary>The answer to a <see cref="RequestFrame"/>. Fields the op does not produce are left out or empty.</summary>
[MessagePackObject]
public sealed class ResultFrame
{
    [Key("rid")] public string RequestId { get; set; } = "";
    [Key("op")] public string Op { get; set; } = "";
    /// <summary>The seq of the timeline event the request appended (membership change, recall); 0 when nothing changed.</summary>
    [Key("seq")] public long Seq { get; set; }
    /// <summary>How many members a membership change applied to.</summary>
    [Key("changed")] public int Changed { get; set; }
    [Key("group")] public GroupItem? Group { get; set; }
    [Key("members")] public MemberItem[]? Members { get; set; }
    [Key("conversations")] public ConversationItem[]? Conversations { get; set; }
    /// <summary>Cursor for the next page (members, conversations); null on the last page.</summary>
    [Key("next")] public string? Next { get; set; }
    /// <summary>read.count: members who read up to seq; read: the read cursor.</summary>
    [Key("read")] public long Read { get; set; }
    /// <summary>read.count: members in all; read: unread entries left in the conversation; presence.group: members online.</summary>
    [Key("total")] public long Total { get; set; }
    /// <summary>presence.watch, presence.query: one item per user asked about, in the order asked.</summary>
    [Key("presence")] public PresenceFrame[]? Presence { get; set; }
    /// <summary>presence.group: a page of the group's online members, ordered by user id.</summary>
    [Key("users")] public string[]? Users { get; set; }
}

[MessagePackObject]
public sealed class GroupItem
{
    [Key("id")] public string Id { get; set; } = "";
    [Key("owner")] public string Owner { get; set; } = "";
    [Key("open")] public bool Open { get; set; }
    [Key("memberCount")] public int MemberCount { get; set; }
    [Key("seq")] public long Seq { get; set; }
    [Key("maxMembers")] public int MaxMembers { get; set; }
}

[MessagePackObject]
public sealed class MemberItem
{
    [Key("user")] public string User { get; set; } = "";
    /// <summary>"owner", "admin" or "member".</summary>
    [Key("role")] public string Role { get; set; } = "";
    [Key("muted")] public bool Muted { get; set; }
    [Key("joinedSeq")] public long JoinedSeq { get; set; }
}

/// <summary>One conversation of the user's list.</summary>
[MessagePackObject]
public sealed class ConversationItem
{
    /// <summary>"user" (1:1; <see cref="Id"/> is the peer) or "group".</summary>
    [Key("type")] public string Type { get; set; } = "";
    [Key("id")] public string Id { get; set; } = "";
    /// <summary>Newest seq: of the user's inbox for 1:1, of the group's timeline for groups.</summary>
    [Key("lastSeq")] public long LastSeq { get; set; }
    [Key("readSeq")] public long ReadSeq { get; set; }
    [Key("unread")] public long Unread { get; set; }
    /// <summary>1:1: the peer has read the user's inbox up to here.</summary>
    [Key("peerReadSeq")] public long PeerReadSeq { get; set; }
    /// <summary>Groups: the user's history starts after this seq.</summary>
    [Key("firstSeq")] public long FirstSeq { get; set; }
}

/// <summary>The user's read cursor of a conversation moved (on another device of the same user).</summary>
[MessagePackObject]
public sealed class ReadStateFrame
{
    [Key("peer")] public string? Peer { get; set; }
    [Key("group")] public string? Group { get; set; }
    [Key("readSeq")] public long ReadSeq { get; set; }
    [Key("unread")] public long Unread { get; set; }
}

/// <summary>1:1 read receipt: <see cref="Peer"/> has read the conversation up to <see cref="Seq"/> of the receiving user's inbox.</summary>
[MessagePackObject]
public sealed class ReceiptFrame
{
    [Key("peer")] public string Peer { get; set; } = "";
    [Key("seq")] public long Seq { get; set; }
}

/// <summary>
/// A user's presence: pushed when a watched user's changes, and the item of a presence.watch or presence.query result.
/// </summary>
[MessagePackObject]
public sealed class PresenceFrame
{
    [Key("user")] public string User { get; set; } = "";
    [Key("online")] public bool Online { get; set; }
    /// <summary>Unix milliseconds: for an offline user, when their last session ended (0: never seen); for an online one, the server's time now.</summary>
    [Key("lastSeen")] public long LastSeen { get; set; }
    [Key("devices")] public DeviceItem[] Devices { get; set; } = [];
}

/// <summary>One connected device of a user.</summary>
[MessagePackObject]
public sealed class DeviceItem
{
    [Key("device")] public string Device { get; set; } = "";
    [Key("platform")] public string Platform { get; set; } = "";
    /// <summary>Unix milliseconds: when this device's connection was registered.</summary>
    [Key("since")] public long Since { get; set; }
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

/// <summary>A reauth was accepted: the session now lives until <see cref="TokenExpiresAt"/>.</summary>
[MessagePackObject]
public sealed class ReauthedFrame
{
    /// <summary>The new token's expiry, Unix seconds.</summary>
    [Key("tokenExp")] public long TokenExpiresAt { get; set; }
}

/// <summary>A refresh accepted: the access token to say hello (or reauth) with, and the refresh token to use next time.</summary>
[MessagePackObject]
public sealed class RefreshedFrame
{
    /// <summary>A fresh access token, bound to the refresh token's user and device.</summary>
    [Key("accessToken")] public string AccessToken { get; set; } = "";

    /// <summary>The access token's expiry, Unix seconds (on a live session: when the session now ends).</summary>
    [Key("tokenExp")] public long TokenExpiresAt { get; set; }

    /// <summary>The next refresh token. The one just sent is used: sending it again revokes the device's refresh tokens.</summary>
    [Key("refreshToken")] public string RefreshToken { get; set; } = "";

    /// <summary>When the next refresh token expires, Unix seconds.</summary>
    [Key("refreshExp")] public long RefreshExpiresAt { get; set; }
}
