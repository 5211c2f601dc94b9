namespace ImActors.Grains.Interfaces.Messages;

/// <summary>
/// One entry of a conversation log (a user's inbox or a group's timeline), as stored and as pushed.
/// Both copies of a 1:1 message share <see cref="Id"/>.
/// </summary>
/// <param name="Seq">Position in the log it was read from: gap-free, starting at 1.</param>
/// <param name="Timestamp">Server time of the send, Unix milliseconds.</param>
/// <param name="Group">The group whose timeline holds the entry; null for an inbox entry.</param>
/// <param name="PeerSeq">
/// For a 1:1 message: its seq in the other user's inbox (lets read receipts and recalls name the other copy).
/// 0 for group entries and for messages to oneself.
/// </param>
[GenerateSerializer, Immutable, Alias("imactors.StoredMessage")]
public sealed record StoredMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] long Seq,
    [property: Id(2)] string From,
    [property: Id(3)] string To,
    [property: Id(4)] long Timestamp,
    [property: Id(5)] string ContentType,
    [property: Id(6)] byte[] Body,
    [property: Id(7)] string? Group = null,
    [property: Id(8)] long PeerSeq = 0);
