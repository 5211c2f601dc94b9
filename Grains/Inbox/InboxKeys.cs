using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>
/// Redis key names of one user's inbox. The user id sits in a hash tag so a user's keys share a slot;
/// a 1:1 send touches two users' keys in one script, so the message store is one Redis shard (documented).
/// </summary>
internal static class InboxKeys
{
    public static RedisKey Seq(string user) => $"im:{{{user}}}:seq";

    public static RedisKey Log(string user) => $"im:{{{user}}}:log";

    public static RedisKey Dedup(string sender, string clientMessageId) => $"im:{{{sender}}}:dedup:{clientMessageId}";
}
