namespace ImActors.Grains.Groups;

/// <summary>
/// The edges a group pushes to, each with the generation of its latest subscription. An edge subscribes when its
/// first local member arrives and unsubscribes when its last one goes; the two travel separately, so the newer
/// generation wins and an old unsubscribe cannot end a newer subscription.
/// </summary>
internal sealed class EdgeSubscriptions(Dictionary<string, long> edges)
{
    private string[]? _array;

    public string[] Edges => _array ??= [.. edges.Keys];

    /// <summary>True when this is news (a new edge or a newer generation), so it is worth storing.</summary>
    public bool Subscribe(string edge, long generation)
    {
        if (edges.TryGetValue(edge, out var current) && current >= generation)
        {
            return false;
        }

        if (!edges.ContainsKey(edge))
        {
            _array = null;
        }

        edges[edge] = generation;
        return true;
    }

    /// <summary>True when the edge was dropped: its subscription was no newer than <paramref name="generation"/>.</summary>
    public bool Unsubscribe(string edge, long generation)
    {
        if (!edges.TryGetValue(edge, out var current) || current > generation)
        {
            return false;
        }

        edges.Remove(edge);
        _array = null;
        return true;
    }

    /// <summary>Forgets an edge whatever its generation: it is gone (its lease lapsed).</summary>
    public void Drop(string edge)
    {
        if (edges.Remove(edge))
        {
            _array = null;
        }
    }

    public void Clear()
    {
        edges.Clear();
        _array = null;
    }
}
