using System.Diagnostics;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Operations.Health;

namespace ImActors.Edge.Selection;

/// <summary>
/// <c>GET /edges</c> on the clients' HTTP port: the edges ready to take connections, each with where to reach it and its
/// weight (<see cref="EdgeWeights"/>). Answered from a copy at most a second old, so a reconnect storm asking every
/// edge costs the cluster one call per edge per second, not one per client.
/// </summary>
public sealed class EdgeDirectoryEndpoint(IGrainFactory grains)
{
    public const string Path = "/edges";

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    // One reference, swapped whole: readers outside the refresh lock never see half of a snapshot.
    private volatile Snapshot? _cached;

    public async Task<IResult> GetAsync(CancellationToken cancellationToken)
    {
        EdgeLoad[] loads;
        try
        {
            loads = await LoadsAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Results.Json(new { error = "unavailable", message = "the cluster does not answer: " + e.GetBaseException().Message },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var edges = loads
            .Select(l => (Load: l, Weight: EdgeWeights.Of(l)))
            .Where(e => e.Weight > 0)
            .Select(e => new
            {
                id = e.Load.EdgeId, tcp = e.Load.Tcp, ws = e.Load.WebSocket, weight = e.Weight,
                connections = e.Load.Connections, maxConnections = e.Load.MaxConnections, cpu = Math.Round(e.Load.Cpu, 3),
            });
        return Results.Json(new { edges });
    }

    private async Task<EdgeLoad[]> LoadsAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && fresh.IsFresh)
        {
            return fresh.Loads;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } other && other.IsFresh)
            {
                return other.Loads;
            }

            var loads = await grains.GetGrain<IEdgeLoadGrain>(0).Live().WaitAsync(ClusterHealthCheck.Limit, cancellationToken);
            _cached = new Snapshot(loads, Stopwatch.GetTimestamp());
            return loads;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(EdgeLoad[] Loads, long At)
    {
        public bool IsFresh => Stopwatch.GetElapsedTime(At) < CacheFor;
    }
}
