using ImActors.Grains.Interfaces.Messages;

namespace ImActors.Grains.Users;

/// <summary>
/// Who may do what with a 1:1 message in <paramref name="user"/>'s inbox. Pure: the grain reads the message, these
/// decide. Both users hold a copy of every message between them, each at a seq of their own inbox.
/// </summary>
internal static class DirectRules
{
    /// <summary>The message at <paramref name="seq"/> of the user's inbox must be one of their conversation with <paramref name="peer"/>.</summary>
    public static void RequireInConversation(string user, string peer, StoredMessage message)
    {
        if ((message.From == user ? message.To : message.From) != peer)
        {
            throw NotInConversation(peer, message.Seq);
        }
    }

    /// <summary>Only the sender recalls a 1:1 message, from their own copy, within the recall window.</summary>
    public static void RequireRecallRight(string user, string peer, StoredMessage message, long now, TimeSpan window)
    {
        if (SystemContentTypes.IsReserved(message.ContentType))
        {
            throw new RefusedException(Refusal.NotFound, $"seq {message.Seq} is not a message that can be recalled");
        }

        if (message.From != user && message.To == user && message.From == peer)
        {
            throw new RefusedException(Refusal.Forbidden, "only the sender recalls a 1:1 message");
        }

        if (message.From != user || message.To != peer)
        {
            throw NotInConversation(peer, message.Seq);
        }

        if (now - message.Timestamp > window.TotalMilliseconds)
        {
            throw new RefusedException(Refusal.RecallWindowPassed, $"messages can be recalled for {window.TotalSeconds:0} s after sending");
        }
    }

    public static RefusedException NotInConversation(string peer, long seq) =>
        new(Refusal.NotFound, $"seq {seq} of your inbox is not a message of your conversation with {peer}");
}
