using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>
/// Redis key names of one user. The user id sits in a hash tag so a user's keys share a slot; a 1:1 send
/// touches two users' keys in one script, so the message store is one Redis shard (documented). Everything a
/// message updates is a key of its own (an entry, a counter, a cursor), never a field of a collection that
/// grows with the user's traffic (decision 76).
/// </summary>
internal static class InboxKeys
{
    public static LogKeys Log(string user) => new($"im:{{{user}}}:");

    public static RedisKey Seq(string user) => Log(user).Seq;

    public static RedisKey Dedup(string sender, string clientMessageId) => $"im:{{{sender}}}:dedup:{clientMessageId}";

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

    /// <summary>"version|edge1,edge2": the edges holding the user's devices, read by groups when they activate.</summary>
    public static RedisKey Presence(string user) => $"im:{{{user}}}:at";
}
