using ImActors.Grains.Inbox;
using ImActors.Grains.Store;

namespace ImActors.Grains.Users;

/// <summary>
/// A user's block list in the store: one set, <c>im:{user}:blocks</c>, in the user's hash slot, so every step touches one
/// key of one user (decision 112). Written only through the user's grain, which keeps the copy it checks sends against.
/// </summary>
public sealed class BlockStore(StoreConnection redis)
{
    public async Task<HashSet<string>> LoadAsync(string user)
    {
        var members = await redis.Run(db => db.SetMembersAsync(InboxKeys.Blocks(user)));
        return members.Select(m => m.ToString()).ToHashSet(StringComparer.Ordinal);
    }

    public Task AddAsync(string user, string blocked) => redis.Run(db => db.SetAddAsync(InboxKeys.Blocks(user), blocked));

    public Task RemoveAsync(string user, string blocked) => redis.Run(db => db.SetRemoveAsync(InboxKeys.Blocks(user), blocked));
}
