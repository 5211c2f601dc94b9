using ImActors.Grains.Edges;
using ImActors.Grains.Interfaces.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Presence;

/// <summary>Builds a user grain's <see cref="PresenceTracker"/> from the store: one place for what presence needs, so the grain takes one dependency.</summary>
public sealed class PresenceTrackers(PresenceStore store, EdgeEndpoints endpoints, IOptions<PresenceOptions> options, TimeProvider time)
{
    internal PresenceStore Store => store;

    internal PresenceOptions Options => options.Value;

    internal TimeProvider Time => time;

    /// <param name="grain">Owns the tracker's timers, which run as the grain's own turns.</param>
    internal async Task<PresenceTracker> LoadAsync(Grain grain, string user, IReadOnlyCollection<SessionInfo> sessions, ILogger logger)
    {
        var (lastSeen, watchers) = await store.LoadAsync(user);
        return new PresenceTracker(this, grain, user, sessions, lastSeen, watchers, logger);
    }

    internal WatcherEdges Watchers(string user, Dictionary<string, long> edges) => new(user, edges, store, endpoints);
}
