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
        var registration = await LookupAsync(session.EdgeId);
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

    private async Task<EdgeRegistration?> LookupAsync(string edgeId)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(edgeId, out var cached) || now - cached.FetchedAt > CacheFor)
        {
            cached = (await grains.GetGrain<IEdgeDirectoryGrain>(edgeId).Resolve(), now);
            _cache[edgeId] = cached;
        }

        return cached.Registration;
    }

    /// <summary>Forgets an edge so the next resolution asks the directory (after a session arrives from a new run of it).</summary>
    public void Forget(string edgeId) => _cache.Remove(edgeId);
}
