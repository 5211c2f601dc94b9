using ImActors.Grains.Interfaces.Edges;

namespace ImActors.Grains.Edges;

/// <summary>The edges' latest load reports, in memory (see <see cref="IEdgeLoadGrain"/>).</summary>
internal sealed class EdgeLoadGrain(TimeProvider time) : Grain, IEdgeLoadGrain
{
    private readonly Dictionary<string, (EdgeLoad Load, DateTimeOffset At)> _reports = new(StringComparer.Ordinal);

    public Task Report(EdgeLoad load)
    {
        _reports[load.EdgeId] = (load, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task Remove(string edgeId)
    {
        _reports.Remove(edgeId);
        return Task.CompletedTask;
    }

    public Task<EdgeLoad[]> Live()
    {
        var since = time.GetUtcNow() - IEdgeLoadGrain.Expiry;
        // Forgotten once expired: an edge restarted under another id would otherwise stay here for good.
        foreach (var gone in _reports.Where(r => r.Value.At < since).Select(r => r.Key).ToList())
        {
            _reports.Remove(gone);
        }

        return Task.FromResult(_reports.Values.Select(r => r.Load).OrderBy(l => l.EdgeId, StringComparer.Ordinal).ToArray());
    }
}
