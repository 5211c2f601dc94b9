using System.Diagnostics;
using ImActors.Edge.Metrics;
using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Operations.Health;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Selection;

/// <summary>
/// Reports this edge's load to the cluster every <see cref="EdgeSettings.LoadReportInterval"/>: where clients reach it,
/// its connections against its cap, its CPU and the hellos it refused. A report that reaches the grain is the proof that
/// this edge reaches the cluster: an edge that cannot report drops out of the list when its last report expires. No store
/// probe is sent with it: there is one store for every edge, so it tells one edge from another nothing. Clients choose among the reports
/// through <c>GET /edges</c> (<see cref="EdgeDirectoryEndpoint"/>). On a graceful stop the edge takes itself out of
/// the list at once.
/// </summary>
public sealed class EdgeLoadReporter(
    IGrainFactory grains, LocalConnections connections, EdgeMetrics metrics, EdgeIdentity identity,
    IOptions<EdgeSettings> settings, ILogger<EdgeLoadReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var edge = settings.Value;
        var (tcp, ws) = edge.PublicAddresses();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var refusalsBefore = metrics.Refusals;
        var at = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(edge.LoadReportInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var elapsed = Stopwatch.GetElapsedTime(at).TotalSeconds;
            var cpu = Environment.CpuUsage.TotalTime;
            var refusals = metrics.Refusals;
            var load = new EdgeLoad(
                identity.EdgeId, tcp, ws, connections.Count, edge.MaxConnections,
                Cpu: (cpu - cpuBefore).TotalSeconds / elapsed / Environment.ProcessorCount,
                RefusalsPerSecond: (refusals - refusalsBefore) / elapsed,
                Ready: !stoppingToken.IsCancellationRequested);
            (cpuBefore, refusalsBefore, at) = (cpu, refusals, Stopwatch.GetTimestamp());
            try
            {
                await grains.GetGrain<IEdgeLoadGrain>(0).Report(load).WaitAsync(ClusterHealthCheck.Limit, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The cluster is away; clients keep the list they have, and this edge drops out of it if this lasts.
                logger.LogDebug(e, "Could not report the load of edge {EdgeId}", identity.EdgeId);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await grains.GetGrain<IEdgeLoadGrain>(0).Remove(identity.EdgeId).WaitAsync(ClusterHealthCheck.Limit, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Could not take edge {EdgeId} out of the edge list; it drops out when its report expires", identity.EdgeId);
        }
    }

}
