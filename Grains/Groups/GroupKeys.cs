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

    /// <summary>Hash: owner, open, created, dissolved.</summary>
    public static RedisKey Meta(string group) => $"im:g:{{{group}}}:meta";

    /// <summary>A member's read cursor, for read counts: a key per member, since every message moves its sender's.</summary>
    public static RedisKey Read(string group, string member) => $"im:g:{{{group}}}:r:{member}";

    /// <summary>The read-cursor field (<see cref="InboxKeys.Read"/>) of a user's cursor of this group.</summary>
    public static string ReadField(string group) => "g:" + group;

    /// <summary>The read-cursor field of where the user's history of this group starts.</summary>
    public static string FirstField(string group) => "f:" + group;
}
