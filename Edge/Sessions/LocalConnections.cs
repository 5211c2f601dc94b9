using System.Collections.Concurrent;
using ImActors.Edge.Connections;

namespace ImActors.Edge.Sessions;

/// <summary>
/// Every open connection of this edge by id: where pushes from grains land. The only state an edge
/// keeps, and none of it durable.
/// </summary>
public sealed class LocalConnections
{
    private readonly ConcurrentDictionary<long, ClientConnection> _connections = new();
    private long _lastId;

    public int Count => _connections.Count;

    public long NextId() => Interlocked.Increment(ref _lastId);

    public void Add(ClientConnection connection) => _connections[connection.Id] = connection;

    public void Remove(ClientConnection connection) => _connections.TryRemove(connection.Id, out _);

    public ClientConnection? Find(long id) => _connections.GetValueOrDefault(id);

    public IEnumerable<ClientConnection> All => _connections.Values;
}
