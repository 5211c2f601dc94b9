using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Edges;

/// <summary>
/// A grain activation's view of which edges are alive and how to reach them. Resolutions are cached
/// briefly so that a busy grain does not ask the directory on every push; a stale answer costs at most a
/// lost push, which the device recovers by syncing.
/// </summary>
internal sealed class EdgeEndpoints(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, (EdgeRegistration? Registration, DateTimeOffset FetchedAt)> _cache = new();

    /// <summary>The endpoint of the session's edge, or null when that edge (or that run of it) is gone.</summary>
    public async Task<IEdgeDelivery?> ResolveAsync(SessionInfo session)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(session.EdgeId, out var cached) || now - cached.FetchedAt > CacheFor)
        {
            cached = (await grains.GetGrain<IEdgeDirectoryGrain>(session.EdgeId).Resolve(), now);
            _cache[session.EdgeId] = cached;
        }

        var registration = cached.Registration;
        if (registration is null || registration.Incarnation != session.EdgeIncarnation || registration.LeaseExpiresAt < now)
        {
            return null;
        }

        return registration.Endpoint;
    }

    /// <summary>Forgets an edge so the next resolution asks the directory (after a session arrives from a new run of it).</summary>
    public void Forget(string edgeId) => _cache.Remove(edgeId);
}
