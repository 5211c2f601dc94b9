using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Users;

/// <summary>
/// The users one user has blocked, held by the user's grain (decision 112). Loaded from the store at the first call that
/// needs it, then kept: a 1:1 send to this user is checked against memory before its store step, so a block costs a send
/// no store round trip. Only the grain writes the set, and its turns are serial, so the copy stays the store's.
/// </summary>
internal sealed class BlockList(string user, BlockStore store)
{
    private HashSet<string>? _blocked;

    /// <summary>Whether <paramref name="sender"/> may not reach this user: 1:1 sends, typing notices, read receipts.</summary>
    public async ValueTask<bool> BlocksAsync(string sender) => sender != user && (await LoadAsync()).Contains(sender);

    /// <summary>Blocks <paramref name="other"/>; false when already blocked.</summary>
    public async Task<bool> AddAsync(string other)
    {
        Ids.Require(other, "the user to block");
        if (other == user)
        {
            throw new RefusedException(Refusal.InvalidRequest, "a user cannot block themselves");
        }

        var blocked = await LoadAsync();
        if (blocked.Contains(other))
        {
            return false;
        }

        if (blocked.Count >= IUserGrain.MaxBlocked)
        {
            throw new RefusedException(Refusal.BlockLimit, $"a user may block at most {IUserGrain.MaxBlocked} users; unblock someone first");
        }

        // Stored before it is held: a failed store step leaves memory as the store has it.
        await store.AddAsync(user, other);
        blocked.Add(other);
        return true;
    }

    /// <summary>Unblocks <paramref name="other"/>; false when they were not blocked.</summary>
    public async Task<bool> RemoveAsync(string other)
    {
        Ids.Require(other, "the user to unblock");
        var blocked = await LoadAsync();
        if (!blocked.Contains(other))
        {
            return false;
        }

        await store.RemoveAsync(user, other);
        blocked.Remove(other);
        return true;
    }

    public async Task<IReadOnlyList<string>> ListAsync() => (await LoadAsync()).Order(StringComparer.Ordinal).ToList();

    private async ValueTask<HashSet<string>> LoadAsync() => _blocked ??= await store.LoadAsync(user);
}
