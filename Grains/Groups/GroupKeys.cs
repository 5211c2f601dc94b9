using StackExchange.Redis;

namespace ImActors.Grains.Groups;

/// <summary>Redis key names of one group (hash-tagged by the group id).</summary>
internal static class GroupKeys
{
    public static RedisKey Seq(string group) => $"im:g:{{{group}}}:seq";

    /// <summary>The timeline: a sorted set scored by seq, like an inbox.</summary>
    public static RedisKey Log(string group) => $"im:g:{{{group}}}:log";

    /// <summary>Hash: user -> "role|muted|joinedSeq". One field per member, so a change never rewrites the list.</summary>
    public static RedisKey Members(string group) => $"im:g:{{{group}}}:members";

    /// <summary>Hash: owner, open, created, dissolved.</summary>
    public static RedisKey Meta(string group) => $"im:g:{{{group}}}:meta";

    /// <summary>Hash: member -> read cursor, for read counts.</summary>
    public static RedisKey ReadCursors(string group) => $"im:g:{{{group}}}:read";

    /// <summary>The field of a user's read-cursor hash that holds this group's cursor.</summary>
    public static string ReadField(string group) => "g:" + group;

    /// <summary>The field of a user's read-cursor hash that holds where the user's history of this group starts.</summary>
    public static string FirstField(string group) => "f:" + group;
}
