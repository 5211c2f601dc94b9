using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Interfaces.Messages;

/// <summary>A 1:1 send, handed to the recipient's <see cref="Users.IUserGrain"/>.</summary>
/// <param name="FromDevice">The sending device, which gets the ACK instead of a push. Empty for business services.</param>
/// <param name="ClientMessageId">Chosen by the sender; a retry with the same id returns the first ACK.</param>
[GenerateSerializer, Immutable, Alias("imactors.SendRequest")]
public sealed record SendRequest(
    [property: Id(0)] string From,
    [property: Id(1)] string FromDevice,
    [property: Id(2)] string ClientMessageId,
    [property: Id(3)] string To,
    [property: Id(4)] string ContentType,
    [property: Id(5)] byte[] Body);

/// <summary>A group send, handed to the group's <see cref="Groups.IGroupGrain"/>.</summary>
/// <param name="FromSession">The sending connection, which gets the ACK instead of a push; null for business services.</param>
[GenerateSerializer, Immutable, Alias("imactors.GroupSendRequest")]
public sealed record GroupSendRequest(
    [property: Id(0)] Actor From,
    [property: Id(1)] SessionInfo? FromSession,
    [property: Id(2)] string ClientMessageId,
    [property: Id(3)] string ContentType,
    [property: Id(4)] byte[] Body);

/// <summary>The durable ACK of a send.</summary>
/// <param name="Seq">The message's seq in the sender's own inbox (1:1) or in the group's timeline.</param>
/// <param name="RecipientSeq">The message's seq in the recipient's inbox (1:1); equal to <paramref name="Seq"/> for groups.</param>
/// <param name="Duplicate">True when the send was a retry of one already stored; nothing new was created.</param>
[GenerateSerializer, Immutable, Alias("imactors.SendResult")]
public sealed record SendResult(
    [property: Id(0)] string MessageId,
    [property: Id(1)] long Seq,
    [property: Id(2)] long RecipientSeq,
    [property: Id(3)] long Timestamp,
    [property: Id(4)] bool Duplicate);

/// <summary>A page of a conversation log.</summary>
/// <param name="InboxSeq">The log's highest seq now.</param>
/// <param name="Floor">History readable by this reader starts after this seq: the later of a group member's join and
/// <paramref name="Trimmed"/>.</param>
/// <param name="Trimmed">Retention has removed the log's entries up to this seq (0: none). A reader whose cursor is
/// below it lost nothing: those messages aged out, and a reader must not take them for a gap.</param>
[GenerateSerializer, Immutable, Alias("imactors.SyncResult")]
public sealed record SyncResult(
    [property: Id(0)] IReadOnlyList<StoredMessage> Messages,
    [property: Id(1)] bool HasMore,
    [property: Id(2)] long InboxSeq,
    [property: Id(3)] long Floor = 0,
    [property: Id(4)] long Trimmed = 0);
