namespace ImActors.Edge.Sessions;

/// <summary>
/// When each (group, user) was last removed here, for a while. A login's group list was read before the login
/// finished; a removal applied meanwhile must not be undone by it, so a list read before a removal skips that
/// group. Not thread-safe: <see cref="LocalGroups"/> holds its lock around every use.
/// </summary>
internal sealed class RecentRemovals
{
    private const long MemoryMs = 60_000;
    private readonly Dictionary<(string Group, string User), long> _removedAt = new();

    public void Record(string group, string user, long now) => _removedAt[(group, user)] = now;

    /// <summary>The user was added again: no older list can undo that.</summary>
    public void Clear(string group, string user) => _removedAt.Remove((group, user));

    /// <summary>True when the user was removed from the group at or after <paramref name="readAt"/>.</summary>
    public bool Since(string group, string user, long readAt) =>
        _removedAt.TryGetValue((group, user), out var removedAt) && removedAt >= readAt;

    /// <summary>Drops removals older than the memory, once there are enough of them to be worth a sweep.</summary>
    public void ForgetOld(long now)
    {
        if (_removedAt.Count < 1024)
        {
            return;
        }

        foreach (var (key, at) in _removedAt.ToList())
        {
            if (now - at > MemoryMs)
            {
                _removedAt.Remove(key);
            }
        }
    }
}
