using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Rules;

namespace ImActors.Grains.Users;

/// <summary>
/// Who may do what with a 1:1 message in <paramref name="user"/>'s inbox. Pure: the grain reads the message, these
/// decide. Both users hold a copy of every message between them, each at a seq of their own inbox; a message from the
/// system has the recipient's copy only, under the peer <see cref="InboxKeys.SystemPeer"/>.
/// </summary>
internal static class DirectRules
{
    /// <summary>The wire's bound on a content type, held for services as for clients.</summary>
    public const int MaxContentTypeLength = 100;

    /// <summary>What a service may send as the system: what a client may send, held to the same rules.</summary>
    public static SystemSendRequest RequireSystemSend(SystemSendRequest request)
    {
        Ids.Require(request.ClientMessageId, "cmid");
        if (string.IsNullOrEmpty(request.ContentType) || request.ContentType.Length > MaxContentTypeLength)
        {
            throw new RefusedException(Refusal.InvalidRequest, $"contentType must be 1-{MaxContentTypeLength} characters");
        }

        return SystemContentTypes.IsReserved(request.ContentType)
            ? throw new RefusedException(Refusal.InvalidRequest, "content types application/vnd.imactors.* are written by the server only")
            : request with { Body = request.Body ?? [] };
    }

    /// <summary>
    /// A recall names the peer the caller sent the message to. Nobody sends to the system, and its messages are not the
    /// recipient's to take back, so the system conversation is refused as a right, not as a bad id.
    /// </summary>
    public static void RequireRecallablePeer(string peer)
    {
        if (peer?.Length == 0)
        {
            throw new RefusedException(Refusal.Forbidden, "messages from the system cannot be recalled by their recipient");
        }

        Ids.Require(peer, "peer");
    }

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
