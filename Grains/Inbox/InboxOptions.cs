namespace ImActors.Grains.Inbox;

/// <summary>Retention of the inbox log and the dedup window. Bound from the "Inbox" configuration section.</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>Newest entries kept per inbox; older ones are trimmed on append.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Entries older than this are trimmed by each user grain's periodic maintenance.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The most unread messages one sender may have in a user's inbox; a send past it is refused (<c>452</c>) until the
    /// recipient reads. Below <see cref="MaxEntries"/>, it keeps any one sender from pushing other senders' messages out
    /// of the inbox (decision 132). 0 turns the cap off; messages from the system are never capped.
    /// </summary>
    public int MaxUnreadPerSender { get; set; } = 1_000;

    /// <summary>How long a client message id is remembered: a retry inside it returns the first ACK.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromDays(1);
}
