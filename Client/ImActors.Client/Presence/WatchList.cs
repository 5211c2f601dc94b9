namespace ImActors.Client.Presence;

/// <summary>
/// The users the application watches, as the server accepted them: what every new connection watches again, since an
/// edge forgets a connection's watches when it closes.
/// </summary>
internal sealed class WatchList
{
    /// <summary>The most users one presence.watch request may name.</summary>
    public const int MaxPerRequest = 1000;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);

    public void Add(IEnumerable<string> users)
    {
        lock (_lock)
        {
            _users.UnionWith(users);
        }
    }

    public void Remove(IEnumerable<string> users)
    {
        lock (_lock)
        {
            _users.ExceptWith(users);
        }
    }

    /// <summary>The watched users in batches of at most one request each.</summary>
    public string[][] Batches()
    {
        lock (_lock)
        {
            return _users.Order(StringComparer.Ordinal).Chunk(MaxPerRequest).ToArray();
        }
    }
}
