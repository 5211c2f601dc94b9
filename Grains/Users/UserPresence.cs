using ImActors.Grains.Inbox;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Users;

/// <summary>Publishes where a user's devices are, for the groups that add them while they are connected.</summary>
public sealed class UserPresence(StoreConnection redis)
{
    /// <summary>Stores the user's edge set; returns the user's groups.</summary>
    public async Task<string[]> PublishAsync(string user, IReadOnlyList<string> edges)
    {
        var result = (RedisResult[])(await redis.Eval(PresenceScript.Source,
            [InboxKeys.Presence(user), InboxKeys.Groups(user)], [string.Join(',', edges)]))!;
        return result.Select(g => (string)g!).ToArray();
    }
}
