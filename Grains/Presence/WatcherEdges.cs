using ImActors.Grains.Edges;
using ImActors.Grains.Interfaces.Edges;

namespace ImActors.Grains.Presence;

/// <summary>
/// The edges that hold watchers of one user, each with the generation of its latest watch, in memory and in the store
/// (<see cref="PresenceKeys.Watchers"/>), so a grain that reactivates still pushes to them. The shape of a group's
/// edge subscriptions: an edge watches when its first local watcher arrives and unwatches when its last one goes; the
/// two travel separately, so the newer generation wins.
/// </summary>
internal sealed class WatcherEdges(string user, Dictionary<string, long> edges, PresenceStore store, EdgeEndpoints endpoints)
{
    public int Count => edges.Count;

    /// <summary>Records a watch; stored, when it is news, before this returns.</summary>
    public async Task WatchAsync(string edge, long generation)
    {
        if (edges.TryGetValue(edge, out var current) && current >= generation)
        {
            return;
        }

        edges[edge] = generation;
        await store.WatchAsync(user, edge, generation);
    }

    /// <summary>Drops the edge unless its watch is newer than <paramref name="generation"/>.</summary>
    public async Task UnwatchAsync(string edge, long generation)
    {
        if (edges.TryGetValue(edge, out var current) && current <= generation)
        {
            edges.Remove(edge);
            await store.UnwatchAsync(user, [edge]);
        }
    }

    /// <summary>The watching edges that are alive, with their endpoints. An edge whose lease lapsed is dropped: its watchers went with it.</summary>
    public async Task<List<IEdgeDelivery>> LiveAsync()
    {
        var live = new List<IEdgeDelivery>(edges.Count);
        List<string>? gone = null;
        foreach (var edge in edges.Keys)
        {
            if (await endpoints.ResolveAsync(edge) is { } endpoint)
            {
                live.Add(endpoint);
            }
            else
            {
                (gone ??= []).Add(edge);
            }
        }

        if (gone is not null)
        {
            foreach (var edge in gone)
            {
                edges.Remove(edge);
            }

            await store.UnwatchAsync(user, gone);
        }

        return live;
    }
}
