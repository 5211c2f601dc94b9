using ImActors.Grains.Interfaces.Events;

namespace ImActors.Grains.Push;

/// <summary>Which events the offline push looks at, and the notice it posts for them (decision 111).</summary>
internal static class OfflineNotices
{
    /// <summary>
    /// The user a stored message may need a push for: the recipient of a 1:1 message or of one from the system. A message
    /// to oneself needs none (it came from one of the user's own devices), and group messages are not pushed (decision 111).
    /// </summary>
    public static string? RecipientOf(ImEvent e) =>
        e is { Type: EventTypes.MessageStored, User: { } user, Group: null } && e.From != user ? user : null;

    /// <summary>
    /// The notice for <paramref name="count"/> messages whose last is <paramref name="last"/>. It carries the last
    /// message's event id, so a redelivered event yields the same id and the endpoint can deduplicate on it.
    /// </summary>
    public static ImEvent Notice(ImEvent last, int count) => new(
        last.Id, EventTypes.MessageOffline, last.Time, User: last.User, From: last.From, MessageId: last.MessageId,
        ContentType: last.ContentType, Body: last.Body, Seq: last.Seq, Count: count);
}
