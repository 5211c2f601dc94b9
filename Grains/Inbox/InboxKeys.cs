using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>
/// Redis key names of one user. The user id sits in a hash tag so a user's keys share a slot, and every store step
/// of a 1:1 send touches one user's keys only (decision 82). Everything a
/// message updates is a key of its own (an entry, a counter, a cursor), never a field of a collection that
/// grows with the user's traffic (decision 76).
/// </summary>
internal static class InboxKeys
{
    /// <summary>
    /// The peer a user's messages from the system are kept under (their dedup records, conversation, unread set, read
    /// cursor): "", the system's name on the wire, which no user id can be, so its keys never meet a user's.
    /// </summary>
    public const string SystemPeer = "";

    public static LogKeys Log(string user) => new($"im:{{{user}}}:");

    public static RedisKey Seq(string user) => Log(user).Seq;

    /// <summary>The first message id, timestamp and recipient seq of a 1:1 send, kept in the recipient's keys for the dedup window.</summary>
    public static RedisKey Dedup(string recipient, string sender, string clientMessageId) => $"im:{{{recipient}}}:dedup:{sender}:{clientMessageId}";

    /// <summary>The sender's seq of its own copy of a message, kept for the dedup window: a retry stores the copy once.</summary>
    public static RedisKey OwnCopy(string sender, string messageId) => $"im:{{{sender}}}:own:{messageId}";

    /// <summary>
    /// Sorted set of the user's messages to <paramref name="peer"/> that the peer has not read: score = the peer's
    /// inbox seq, member = the user's own seq. A read receipt names the peer's seq; this turns it into the user's.
    /// </summary>
    public static RedisKey Sent(string user, string peer) => $"im:{{{user}}}:sent:{peer}";

    /// <summary>Set of the 1:1 peers the user has a conversation with; written on a conversation's first message only.</summary>
    public static RedisKey Peers(string user) => $"im:{{{user}}}:peers";

    /// <summary>The newest seq of the conversation with <paramref name="peer"/> in this user's inbox.</summary>
    public static RedisKey LastSeq(string user, string peer) => $"im:{{{user}}}:c:{peer}";

    /// <summary>The user's read cursor of the 1:1 conversation with <paramref name="peer"/> (a group keeps its members' cursors).</summary>
    public static RedisKey Read(string user, string peer) => $"im:{{{user}}}:r:u:{peer}";

    /// <summary>Sorted set of the inbox seqs of the peer's messages this user has not read (score = member = seq).</summary>
    public static RedisKey Unread(string user, string peer) => $"im:{{{user}}}:unread:{peer}";

    /// <summary>The seq of this user's inbox up to which <paramref name="peer"/> has read their conversation.</summary>
    public static RedisKey PeerRead(string user, string peer) => $"im:{{{user}}}:pr:{peer}";

    /// <summary>Set of the groups the user is a member of (written by the group's scripts).</summary>
    public static RedisKey Groups(string user) => $"im:{{{user}}}:groups";

    /// <summary>The user's ban (JSON: reason and time), absent when they are not banned; the login step reads it (decision 98).</summary>
    public static RedisKey Ban(string user) => $"im:{{{user}}}:ban";

    /// <summary>Set of the users this user has blocked (decision 112); the user's grain holds a copy once it needs one.</summary>
    public static RedisKey Blocks(string user) => $"im:{{{user}}}:blocks";

    /// <summary>
    /// Hash: <c>*</c> (the whole user) or a device -> Unix ms before which its tokens are revoked (decision 107); the
    /// login step reads it.
    /// </summary>
    public static RedisKey ValidAfter(string user) => $"im:{{{user}}}:validafter";

    /// <summary>Hash: device -> its refresh token family (hashes, generation, expiries), one family per device (decision 106).</summary>
    public static RedisKey RefreshTokens(string user) => $"im:{{{user}}}:refresh";

    /// <summary>Hash: device -> the session holding it (JSON): where the user is connected (decision 83).</summary>
    public static RedisKey Sessions(string user) => $"im:{{{user}}}:sessions";
}
