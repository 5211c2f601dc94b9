namespace ImActors.Grains.Interfaces.Messages;

/// <summary>One entry of a user's inbox, as stored and as pushed. Both copies of a 1:1 message share <see cref="Id"/>.</summary>
/// <param name="Seq">Position in the inbox it was read from: gap-free, starting at 1.</param>
/// <param name="Timestamp">Server time of the send, Unix milliseconds.</param>
[GenerateSerializer, Immutable, Alias("imactors.StoredMessage")]
public sealed record StoredMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] long Seq,
    [property: Id(2)] string From,
    [property: Id(3)] string To,
    [property: Id(4)] long Timestamp,
    [property: Id(5)] string ContentType,
    [property: Id(6)] byte[] Body);
