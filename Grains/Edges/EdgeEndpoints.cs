using System.Collections.Concurrent;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Edges;

/// <summary>
/// The silo's view of which edges are alive and how to reach them, shared by every grain on the silo.
/// Resolutions are cached briefly so that pushes do not ask the directory each time: one cache per silo, not
/// per grain, because with a cache per grain every active user grain asked every 5 s (an extra grain call per
/// user, more than the messages themselves at a few hundred msg/s). A stale answer costs at most a lost push,
/// which the device recovers by syncing.
/// </summary>
public sealed class EdgeEndpoints(GrainRefs grains, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Lookup> _cache = new();

    /// <summary>The endpoint of the session's edge, or null when that edge (or that run of it) is gone.</summary>
    public async Task<IEdgeDelivery?> ResolveAsync(SessionInfo session)
    {
        var registration = await LookupAsync(session.EdgeId);
        if (registration is not null && registration.Incarnation != session.EdgeIncarnation)
        {
            // A session from a run of the edge newer than the cached one: ask again before calling it gone.
            registration = await LookupAsync(session.EdgeId, refresh: true);
        }

        if (registration is null || registration.Incarnation != session.EdgeIncarnation || registration.LeaseExpiresAt < time.GetUtcNow())
        {
            return null;
        }

        return registration.Endpoint;
    }

    /// <summary>
    /// The endpoint of a live edge by id, whatever its run: for group fan-out, where the edge itself picks the
    /// recipients among its current connections, so a push to a restarted edge reaches only who is there now.
    /// </summary>
    public async Task<IEdgeDelivery?> ResolveAsync(string edgeId)
    {
        var registration = await LookupAsync(edgeId);
        return registration is null || registration.LeaseExpiresAt < time.GetUtcNow() ? null : registration.Endpoint;
    }

    /// <summary>
    /// Forgets what was cached of the edge before <paramref name="foundAt"/>, when it was found gone: a cached answer
    /// from before would still show the gone run alive. Entries fetched since stay, so the users told of it together
    /// ask the directory once per silo.
    /// </summary>
    public void Forget(string edgeId, DateTimeOffset foundAt)
    {
        if (_cache.TryGetValue(edgeId, out var cached) && cached.StartedAt < foundAt)
        {
            _cache.TryRemove(KeyValuePair.Create(edgeId, cached));
        }
    }

    private Task<EdgeRegistration?> LookupAsync(string edgeId, bool refresh = false)
    {
        var now = time.GetUtcNow();
        if (refresh || !_cache.TryGetValue(edgeId, out var cached) || now - cached.StartedAt > CacheFor || cached.Fetch.IsFaulted)
        {
            // Concurrent callers may each start a fetch; the last one stored wins, all of them are correct.
            cached = new Lookup(grains.Get<IEdgeDirectoryGrain>(edgeId).Resolve(), now);
            _cache[edgeId] = cached;
        }

        return cached.Fetch;
    }

    private readonly record struct Lookup(Task<EdgeRegistration?> Fetch, DateTimeOffset StartedAt);
}
