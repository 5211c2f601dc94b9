using ImActors.Grains.Edges;
using ImActors.Grains.Interfaces.Edges;

namespace ImActors.Grains.Groups;

/// <summary>
/// The edges one group pushes to, each with the generation of its latest subscription, in memory and in the store
/// (<see cref="GroupKeys.Edges"/>), so a group that reactivates still pushes to them. An edge subscribes when its
/// first local member arrives and unsubscribes when its last one goes; the two travel separately, so the newer
/// generation wins and an old unsubscribe cannot end a newer subscription (decision 81).
/// </summary>
internal sealed class EdgeSubscriptions(string group, Dictionary<string, long> edges, GroupStore store, EdgeEndpoints endpoints)
{
    private string[]? _array;

    private string[] Edges => _array ??= [.. edges.Keys];

    /// <summary>Records a subscription; stored, when it is news (a new edge or a newer generation), before this returns.</summary>
    public async Task SubscribeAsync(string edge, long generation)
    {
        if (edges.TryGetValue(edge, out var current) && current >= generation)
        {
            return;
        }

        if (current == 0)
        {
            _array = null;
        }

        edges[edge] = generation;
        await store.SubscribeAsync(group, edge, generation);
    }

    /// <summary>Drops the edge unless its subscription is newer than <paramref name="generation"/>.</summary>
    public async Task UnsubscribeAsync(string edge, long generation)
    {
        if (edges.TryGetValue(edge, out var current) && current <= generation)
        {
            await DropAsync(edge);
        }
    }

    /// <summary>
    /// The subscribed edges that are alive, with their endpoints. An edge whose lease lapsed is dropped: it went away
    /// with its connections, which subscribe again wherever they reconnect.
    /// </summary>
    public async Task<List<(string Edge, IEdgeDelivery Endpoint)>> LiveAsync()
    {
        var live = new List<(string, IEdgeDelivery)>(Edges.Length);
        foreach (var edge in Edges)
        {
            if (await endpoints.ResolveAsync(edge) is { } endpoint)
            {
                live.Add((edge, endpoint));
            }
            else
            {
                await DropAsync(edge);
            }
        }

        return live;
    }

    /// <summary>The group is dissolved: no edge needs its pushes.</summary>
    public async Task ClearAsync()
    {
        await store.UnsubscribeAsync(group, Edges);
        edges.Clear();
        _array = null;
    }

    private async Task DropAsync(string edge)
    {
        edges.Remove(edge);
        _array = null;
        await store.UnsubscribeAsync(group, [edge]);
    }
}
