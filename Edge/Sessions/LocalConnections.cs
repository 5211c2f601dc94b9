using System.Collections.Concurrent;
using ImActors.Edge.Connections;

namespace ImActors.Edge.Sessions;

/// <summary>
/// Every open connection of this edge by id, and by user for group fan-out: where pushes from grains land.
/// The only state an edge keeps, and none of it durable.
/// </summary>
public sealed class LocalConnections
{
    private readonly ConcurrentDictionary<long, ClientConnection> _connections = new();
    // Written on connect and disconnect only, read on every group push: arrays replaced whole under a lock,
    // read without one.
    // The user a connection is filed under is kept on the connection (IndexedUser, guarded by _indexLock).
    private readonly ConcurrentDictionary<string, ClientConnection[]> _byUser = new(StringComparer.Ordinal);
    private readonly Lock _indexLock = new();
    private long _lastId;

    public int Count => _connections.Count;

    public int Users => _byUser.Count;

    public long NextId() => Interlocked.Increment(ref _lastId);

    public void Add(ClientConnection connection) => _connections[connection.Id] = connection;

    public void Remove(ClientConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        Unindex(connection);
    }

    public ClientConnection? Find(long id) => _connections.GetValueOrDefault(id);

    /// <summary>The user's connections on this edge (empty when none).</summary>
    public ClientConnection[] OfUser(string user) => _byUser.GetValueOrDefault(user) ?? [];

    public IEnumerable<ClientConnection> All => _connections.Values;

    /// <summary>
    /// Files the connection under its user before the user's grain learns of the session, so that a group push
    /// sent right after can find it (pushes are held until the welcome is written).
    /// </summary>
    public void Index(string user, ClientConnection connection)
    {
        lock (_indexLock)
        {
            connection.IndexedUser = user;
            _byUser[user] = [.. OfUser(user), connection];
        }
    }

    public void Unindex(ClientConnection connection)
    {
        lock (_indexLock)
        {
            if (connection.IndexedUser is not { } user)
            {
                return;
            }

            connection.IndexedUser = null;

            var remaining = OfUser(user).Where(c => c != connection).ToArray();
            if (remaining.Length == 0)
            {
                _byUser.TryRemove(user, out _);
            }
            else
            {
                _byUser[user] = remaining;
            }
        }
    }
}
