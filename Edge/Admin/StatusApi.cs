using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Health;
using ImActors.Operations.Health;

namespace ImActors.Edge.Admin;

/// <summary>
/// <c>GET /api/v1/status</c>: the cluster at a glance for an operator (what <c>imctl status</c> prints): the silos in the
/// membership, the edges that reported their load with their connections, and whether the store answers. Each part is
/// asked on its own and bounded, so a store that is down still leaves the silos and edges readable.
/// </summary>
public static class StatusApi
{
    public sealed record SiloView(string Address, string Name, string Status, DateTimeOffset StartedAt);

    public sealed record EdgeView(string Edge, string? Tcp, string? WebSocket, int Connections, int MaxConnections, double Cpu, bool Ready);

    /// <param name="Status">"up" or "down".</param>
    /// <param name="Ms">The probe's round trip (the store's commit included) when up.</param>
    public sealed record StoreView(string Status, double? Ms, string? Reason);

    /// <param name="Errors">Why a part could not be read ("silos: ...", "edges: ..."); null when every part was.</param>
    public sealed record ClusterStatus(string AnsweredBy, SiloView[] Silos, EdgeView[] Edges, int Connections, StoreView Store, string[] Errors);

    public static void MapStatus(this RouteGroupBuilder api) =>
        api.MapGet("/status", async (IGrainFactory grains, EdgeIdentity identity, CancellationToken cancellationToken) =>
            {
                var errors = new List<string>();
                var silos = await PartAsync("silos", errors, async () =>
                {
                    var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
                    // Dead silos stay in the membership table until it is cleaned: they are history, not the cluster.
                    return hosts.Where(h => h.Status != SiloStatus.Dead)
                        .Select(h => new SiloView(h.SiloAddress.ToString(), h.SiloName, h.Status.ToString(), new DateTimeOffset(h.StartTime, TimeSpan.Zero)))
                        .OrderBy(s => s.Address, StringComparer.Ordinal).ToArray();
                }, cancellationToken) ?? [];
                var edges = await PartAsync("edges", errors, async () =>
                    (await grains.GetGrain<IEdgeLoadGrain>(0).Live())
                    .Select(e => new EdgeView(e.EdgeId, e.Tcp, e.WebSocket, e.Connections, e.MaxConnections, Math.Round(e.Cpu, 3), e.Ready))
                    .OrderBy(e => e.Edge, StringComparer.Ordinal).ToArray(), cancellationToken) ?? [];
                var store = await StoreAsync(grains, cancellationToken);
                return Results.Ok(new ClusterStatus(identity.EdgeId, silos, edges, edges.Sum(e => e.Connections), store, [.. errors]));
            })
            .WithTags("status").WithName("getStatus")
            .WithSummary("The silos in the membership, the edges with their connections, and whether the store answers")
            .Produces<ClusterStatus>();

    private static async Task<T?> PartAsync<T>(string part, List<string> errors, Func<Task<T>> read, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await read().WaitAsync(ClusterHealthCheck.Limit, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add($"{part}: {(e is TimeoutException ? $"no answer within {ClusterHealthCheck.Limit.TotalSeconds:0} s" : e.GetBaseException().Message)}");
            return null;
        }
    }

    private static async Task<StoreView> StoreAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        try
        {
            var took = await grains.GetGrain<IClusterProbeGrain>(0).ProbeStore().WaitAsync(ClusterHealthCheck.Limit, cancellationToken);
            return new StoreView("up", Math.Round(took.TotalMilliseconds, 2), null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new StoreView("down", null, e is TimeoutException ? "no answer within 3 s" : e.GetBaseException().Message);
        }
    }
}
