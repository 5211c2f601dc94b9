using ImActors.Grains.Inbox;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Users;

/// <summary>Publishes where a user's devices are, for the groups that fan out to them.</summary>
public sealed class UserPresence(StoreConnection redis)
{
    /// <summary>
    /// Stores the user's edge set; returns its new version and the user's groups, or version 0 (and no groups)
    /// when the set is unchanged and nobody needs telling.
    /// </summary>
    public async Task<(long Version, string[] Groups)> PublishAsync(string user, IReadOnlyList<string> edges)
    {
        var result = (RedisResult[])(await redis.Eval(PresenceScript.Source,
            [InboxKeys.Presence(user), InboxKeys.Groups(user)], [string.Join(',', edges)]))!;
        var version = (long)result[0];
        return version == 0 ? (0, []) : (version, result.Skip(1).Select(g => (string)g!).ToArray());
    }
}
