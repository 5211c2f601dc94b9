using ImActors.Edge.Calls;
using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Presence;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Presence;

/// <summary>
/// Which local connections watch whom, both ways, and this edge's watch with each watched user's grain. The edge
/// watches a user when its first local watcher arrives and unwatches when the last one goes, so a user watched by many
/// connections here is one watch for the user's grain and one push per change; later watchers get their snapshot from
/// the last presence this edge heard, without a grain call.
/// </summary>
public sealed class LocalWatches(GrainRefs grains, ClusterCalls cluster, EdgeIdentity edge, IOptions<EdgeSettings> settings)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<long, HashSet<string>> _byConnection = [];
    // Ticks at start, so that a restarted edge's generations are newer than those of its previous run.
    private long _generation = DateTime.UtcNow.Ticks;
    private long _watchCalls;

    /// <summary>Users watched from this edge.</summary>
    public int Users
    {
        get
        {
            lock (_lock)
            {
                return _byUser.Count;
            }
        }
    }

    /// <summary>Watch calls this edge has made to users' grains since it started: one per user per first local watcher.</summary>
    public long WatchCalls => Interlocked.Read(ref _watchCalls);

    /// <summary>
    /// Adds the connection's watches of <paramref name="users"/> and returns each one's presence, in the order asked.
    /// All or nothing: past the connection's limit nothing is added, and a watch the cluster could not take undoes the
    /// request's others.
    /// </summary>
    public async Task<UserPresence[]> WatchAsync(long connection, string[] users)
    {
        var snapshots = new Dictionary<string, Task<UserPresence>>(StringComparer.Ordinal);
        lock (_lock)
        {
            var limit = settings.Value.MaxWatchesPerConnection;
            _byConnection.TryGetValue(connection, out var watched);
            var adding = users.Distinct(StringComparer.Ordinal).Count(u => watched is null || !watched.Contains(u));
            var count = watched?.Count ?? 0;
            if (count + adding > limit)
            {
                throw new RefusedException(Refusal.WatchLimit, $"a connection watches at most {limit} users; this one watches {count} and asked for {adding} more");
            }

            watched ??= _byConnection[connection] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var user in users)
            {
                if (snapshots.ContainsKey(user))
                {
                    continue;
                }

                watched.Add(user);
                if (!_byUser.TryGetValue(user, out var entry))
                {
                    _byUser[user] = entry = new Entry();
                }

                if (entry.Connections.Add(connection))
                {
                    entry.Array = null;
                }

                if (entry.NeedsWatching)
                {
                    entry.Generation = ++_generation;
                    entry.Watched = CallWatchAsync(user, entry, entry.Generation);
                }

                snapshots[user] = entry.Latest is { } latest ? Task.FromResult(latest) : entry.Watched;
            }
        }

        try
        {
            await Task.WhenAll(snapshots.Values);
        }
        catch
        {
            Unwatch(connection, [.. snapshots.Keys]);
            throw;
        }

        return users.Select(u => snapshots[u].Result).ToArray();
    }

    /// <summary>Removes the connection's watches of <paramref name="users"/>; returns how many it had.</summary>
    public int Unwatch(long connection, IReadOnlyCollection<string> users)
    {
        List<(string User, long Generation)>? unwatch = null;
        var removed = 0;
        lock (_lock)
        {
            if (!_byConnection.TryGetValue(connection, out var watched))
            {
                return 0;
            }

            foreach (var user in users)
            {
                if (!watched.Remove(user))
                {
                    continue;
                }

                removed++;
                if (Leave(user, connection) is { } generation)
                {
                    (unwatch ??= []).Add((user, generation));
                }
            }

            if (watched.Count == 0)
            {
                _byConnection.Remove(connection);
            }
        }

        foreach (var (user, generation) in unwatch ?? [])
        {
            UnwatchGrain(user, generation);
        }

        return removed;
    }

    /// <summary>The connection closed: it watches nobody any more.</summary>
    public void Forget(long connection)
    {
        string[] users;
        lock (_lock)
        {
            if (!_byConnection.TryGetValue(connection, out var watched))
            {
                return;
            }

            users = [.. watched];
        }

        Unwatch(connection, users);
    }

    /// <summary>
    /// A pushed presence: remembered for later watchers' snapshots; returns the local connections watching the user,
    /// or null when none does (a watch left by a previous run of this edge, or one whose unwatch was lost: it ends).
    /// </summary>
    public long[]? Pushed(UserPresence presence)
    {
        long generation;
        lock (_lock)
        {
            if (_byUser.TryGetValue(presence.User, out var entry))
            {
                entry.Latest = presence;
                return entry.Array ??= [.. entry.Connections];
            }

            generation = _generation;
        }

        UnwatchGrain(presence.User, generation);
        return null;
    }

    /// <summary>Takes the connection off the user's watchers; returns the generation to unwatch with when it was the last.</summary>
    private long? Leave(string user, long connection)
    {
        if (!_byUser.TryGetValue(user, out var entry) || !entry.Connections.Remove(connection))
        {
            return null;
        }

        entry.Array = null;
        if (entry.Connections.Count > 0)
        {
            return null;
        }

        _byUser.Remove(user);
        return entry.Generation;
    }

    private async Task<UserPresence> CallWatchAsync(string user, Entry entry, long generation)
    {
        Interlocked.Increment(ref _watchCalls);
        var presence = await cluster.RunAsync(
            () => grains.Get<IPresenceWatch>(user).Watch(edge.EdgeId, generation), CallPolicy.RetriedNeverAbandoned);
        lock (_lock)
        {
            // A push that overtook the answer is newer than it.
            return entry.Latest ??= presence;
        }
    }

    // One-way: the grain drops this edge unless a newer watch arrived first. Should it be lost, the grain's next push
    // finds no watcher here and this edge ends the watch then.
    private void UnwatchGrain(string user, long generation) =>
        cluster.FireAndForget(() => grains.Get<IPresenceWatch>(user).Unwatch(edge.EdgeId, generation));

    /// <summary>One watched user's local watchers, and this edge's watch of them.</summary>
    private sealed class Entry
    {
        public readonly HashSet<long> Connections = [];
        public long[]? Array;
        public long Generation;
        public Task<UserPresence>? Watched;
        public UserPresence? Latest;

        /// <summary>Never watched, or the last attempt failed.</summary>
        [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Watched))]
        public bool NeedsWatching => Watched is null || Watched.IsFaulted || Watched.IsCanceled;
    }
}
