using ImActors.Grains.Inbox;
using StackExchange.Redis;

namespace ImActors.Grains.Groups;

/// <summary>Redis key names of one group (hash-tagged by the group id).</summary>
internal static class GroupKeys
{
    /// <summary>The timeline: a log like an inbox, one key per entry.</summary>
    public static LogKeys Log(string group) => new($"im:g:{{{group}}}:");

    public static RedisKey Seq(string group) => Log(group).Seq;

    /// <summary>Hash: user -> "role|muted|joinedSeq". One field per member, written only by membership changes.</summary>
    public static RedisKey Members(string group) => $"im:g:{{{group}}}:members";

    /// <summary>Hash: edge id -> subscription generation. The edges that asked for this group's pushes (decision 81).</summary>
    public static RedisKey Edges(string group) => $"im:g:{{{group}}}:edges";

    /// <summary>Hash: owner, open, created, dissolved.</summary>
    public static RedisKey Meta(string group) => $"im:g:{{{group}}}:meta";

    /// <summary>
    /// A member's read cursor: the one copy of it, read by the member's conversation list and by the group's read
    /// counts. A key per member, since every message moves its sender's; absent means "nothing read since joining".
    /// </summary>
    public static RedisKey Read(string group, string member) => $"im:g:{{{group}}}:r:{member}";

    /// <summary>The first ACK of a group send with this client message id, under the group's hash tag like the send itself.</summary>
    public static RedisKey Dedup(string group, string sender, string clientMessageId) => $"im:g:{{{group}}}:dedup:{sender}:{clientMessageId}";
}
