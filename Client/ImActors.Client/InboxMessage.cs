using System.Text;
using ImActors.Protocol.Frames;

namespace ImActors.Client;

/// <summary>
/// An entry of the user's inbox or of a group's timeline (<see cref="Group"/> set; <see cref="Seq"/> is then the
/// group's), delivered to the application in seq order per conversation log, each once.
/// </summary>
public sealed record InboxMessage(string Id, long Seq, string From, string To, DateTimeOffset Timestamp, string ContentType, byte[] Body, string? Group = null)
{
    /// <summary>The body as text when the content type is text/plain, otherwise null.</summary>
    public string? Text => ContentType == ContentTypes.Text ? Encoding.UTF8.GetString(Body) : null;

    /// <summary>
    /// Written by the system (a business service), not a user: <see cref="From"/> is "". In the inbox such a message
    /// belongs to <see cref="ConversationRef.System"/>; in a group it is a notice or an event a service caused.
    /// </summary>
    public bool IsFromSystem => From.Length == 0;

    /// <summary>The conversation this entry belongs to, seen by <paramref name="user"/> (the signed-in user).</summary>
    public ConversationRef ConversationFor(string user) =>
        Group is not null ? ConversationRef.InGroup(Group)
        : IsFromSystem ? ConversationRef.System
        : ConversationRef.With(From == user ? To : From);

    internal static InboxMessage FromFrame(MessageFrame m) =>
        new(m.Id, m.Seq, m.From, m.To, DateTimeOffset.FromUnixTimeMilliseconds(m.Timestamp), m.ContentType, m.Body, m.Group);
}

/// <summary>The durable ACK of a send.</summary>
/// <param name="Seq">The message's seq in the sender's own inbox.</param>
/// <param name="Duplicate">The send was a retry of one already stored.</param>
public sealed record SendReceipt(string ClientMessageId, string MessageId, long Seq, DateTimeOffset Timestamp, bool Duplicate)
{
    /// <summary>A 1:1 message's seq in the recipient's inbox (<see cref="Seq"/> is in the sender's); equal to Seq for a group.</summary>
    public long PeerSeq { get; init; }
}
