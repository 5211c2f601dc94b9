namespace ImActors.Grains.Interfaces.Conversations;

public enum ConversationKind
{
    User = 0,
    Group = 1,

    /// <summary>The messages the system (business services) sent the user: its id is "", the system's name on the wire.</summary>
    System = 2,
}

/// <summary>One entry of a user's conversation list.</summary>
/// <param name="Id">The peer's user id, the group id, or "" for the system.</param>
/// <param name="LastSeq">The newest seq of the conversation: in the user's inbox (1:1) or the group's timeline.</param>
/// <param name="ReadSeq">The user has read up to here (same seq space as <paramref name="LastSeq"/>).</param>
/// <param name="Unread">1:1 and system: messages from the peer after the read cursor. Group: timeline entries after it.</param>
/// <param name="PeerReadSeq">1:1 only: the peer has read the user's messages up to this seq of the user's inbox (0 for the system, which reads nothing).</param>
/// <param name="FirstSeq">Group only: the user's history starts after this seq (the join).</param>
[GenerateSerializer, Immutable, Alias("imactors.Conversation")]
public sealed record Conversation(
    [property: Id(0)] ConversationKind Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] long LastSeq,
    [property: Id(3)] long ReadSeq,
    [property: Id(4)] long Unread,
    [property: Id(5)] long PeerReadSeq,
    [property: Id(6)] long FirstSeq);

/// <summary>A conversation's read cursor and unread count after a read mark.</summary>
[GenerateSerializer, Immutable, Alias("imactors.ReadState")]
public sealed record ReadState(
    [property: Id(0)] long ReadSeq,
    [property: Id(1)] long Unread);

public enum NoticeKind
{
    /// <summary><see cref="Notice.From"/> is typing (to the recipient, or in <see cref="Notice.Group"/>).</summary>
    Typing = 0,

    /// <summary>The user's own read cursor moved on another device: <see cref="Notice.Seq"/>, <see cref="Notice.Unread"/>.</summary>
    ReadState = 1,

    /// <summary>The peer <see cref="Notice.From"/> has read up to <see cref="Notice.Seq"/> of the recipient's inbox.</summary>
    Receipt = 2,
}

/// <summary>
/// An ephemeral push: never stored, lost if the device is offline. <see cref="Peer"/> or <see cref="Group"/>
/// names the conversation from the receiving user's point of view.
/// </summary>
[GenerateSerializer, Immutable, Alias("imactors.Notice")]
public sealed record Notice(
    [property: Id(0)] NoticeKind Kind,
    [property: Id(1)] string From,
    [property: Id(2)] string? Peer,
    [property: Id(3)] string? Group,
    [property: Id(4)] long Seq,
    [property: Id(5)] long Unread);
