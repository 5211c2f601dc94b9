namespace ImActors.Client;

/// <summary>A conversation: with a user, in a group, or with the system (the messages business services sent the user).</summary>
public readonly record struct ConversationRef(string? Peer, string? Group)
{
    public static ConversationRef With(string user) => new(user, null);

    public static ConversationRef InGroup(string group) => new(null, group);

    /// <summary>
    /// The user's conversation with the system: its messages have <see cref="InboxMessage.From"/> "", and on the wire it is
    /// the peer "". It takes read marks; typing and recalls toward it are refused (441) and nothing is sent to it.
    /// </summary>
    public static ConversationRef System { get; } = new("", null);

    public bool IsSystem => Peer?.Length == 0 && Group is null;
}

/// <summary>One entry of the user's conversation list.</summary>
/// <param name="Type">"user" (1:1; <paramref name="Id"/> is the peer), "group", or "system" (<paramref name="Id"/> ""; the
/// messages business services sent the user, which unread counts and read marks cover like a peer's).</param>
/// <param name="LastSeq">Newest seq: of the user's inbox (1:1) or of the group's timeline.</param>
/// <param name="PeerReadSeq">1:1: the peer has read the user's inbox up to here.</param>
/// <param name="FirstSeq">Groups: the user's history starts after this seq.</param>
public sealed record ConversationInfo(string Type, string Id, long LastSeq, long ReadSeq, long Unread, long PeerReadSeq, long FirstSeq)
{
    public bool IsSystem => Type == "system";

    /// <summary>The conversation, to mark read or to match with messages.</summary>
    public ConversationRef Conversation => Type switch
    {
        "group" => ConversationRef.InGroup(Id),
        "system" => ConversationRef.System,
        _ => ConversationRef.With(Id),
    };
}

public sealed record GroupInfo(string Id, string Owner, bool Open, int MemberCount, long Seq, int MaxMembers);

/// <param name="Role">"owner", "admin" or "member".</param>
public sealed record GroupMemberInfo(string User, string Role, bool Muted, long JoinedSeq);

/// <summary>A membership change: the timeline event's seq (0 when nothing changed) and how many members it applied to.</summary>
public sealed record GroupChangeResult(long Seq, int Changed);

/// <summary>A conversation's read cursor and unread count (<paramref name="Peer"/> "" for the system's conversation).</summary>
public sealed record ReadStateUpdate(string? Peer, string? Group, long ReadSeq, long Unread);

/// <summary><paramref name="Peer"/> has read this user's inbox up to <paramref name="Seq"/> in their conversation.</summary>
public sealed record ReadReceipt(string Peer, long Seq);

/// <summary><paramref name="From"/> is typing: to this user, or in <paramref name="Group"/>.</summary>
public sealed record TypingNotice(string From, string? Group);
