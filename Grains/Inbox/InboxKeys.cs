using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>
/// Redis key names of one user. The user id sits in a hash tag so a user's keys share a slot; a 1:1 send
/// touches two users' keys in one script, so the message store is one Redis shard (documented).
/// </summary>
internal static class InboxKeys
{
    public static RedisKey Seq(string user) => $"im:{{{user}}}:seq";

    public static RedisKey Log(string user) => $"im:{{{user}}}:log";

    public static RedisKey Dedup(string sender, string clientMessageId) => $"im:{{{sender}}}:dedup:{clientMessageId}";

    /// <summary>Hash: 1:1 peer -> the newest seq of that conversation in this user's inbox.</summary>
    public static RedisKey Conversations(string user) => $"im:{{{user}}}:conv";

    /// <summary>Hash: "u:peer" / "g:group" -> read cursor; "f:group" -> the seq the user's group history starts after.</summary>
    public static RedisKey ReadCursors(string user) => $"im:{{{user}}}:read";

    /// <summary>Sorted set of the inbox seqs of the peer's messages this user has not read (score = member = seq).</summary>
    public static RedisKey Unread(string user, string peer) => $"im:{{{user}}}:unread:{peer}";

    /// <summary>Hash: peer -> the seq of this user's inbox up to which the peer has read their conversation.</summary>
    public static RedisKey PeerRead(string user) => $"im:{{{user}}}:peerread";

    /// <summary>Set of the groups the user is a member of (written by the group's scripts).</summary>
    public static RedisKey Groups(string user) => $"im:{{{user}}}:groups";

    /// <summary>"version|edge1,edge2": the edges holding the user's devices, read by groups when they activate.</summary>
    public static RedisKey Presence(string user) => $"im:{{{user}}}:at";
}
