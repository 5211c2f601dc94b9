using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Edges;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Delivery;

/// <summary>
/// Keeps this edge's delivery endpoint registered with its <see cref="IEdgeDirectoryGrain"/>: at start,
/// every third of the lease, and at once after the connection to the cluster comes back. The renewal is
/// also the edge's liveness signal: if it stops, grains drop this edge's sessions when the lease lapses.
/// </summary>
public sealed class EdgeRegistrar(
    IClusterClient cluster,
    EdgeIdentity identity,
    EdgeDeliveryEndpoint endpoint,
    ClusterReconnected reconnected,
    IOptions<EdgeSettings> settings,
    ILogger<EdgeRegistrar> logger) : BackgroundService
{
    // The observer reference is held here for the edge's lifetime: Orleans keeps only a weak reference to it.
    private IEdgeDelivery? _reference;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = cluster.CreateObjectReference<IEdgeDelivery>(endpoint);
        var lease = settings.Value.Lease;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await cluster.GetGrain<IEdgeDirectoryGrain>(identity.EdgeId).Register(_reference, identity.Incarnation, lease);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not register edge {EdgeId}; retrying", identity.EdgeId);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }

            try
            {
                await reconnected.WaitAsync(lease / 3, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await cluster.GetGrain<IEdgeDirectoryGrain>(identity.EdgeId).Unregister(identity.Incarnation);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not unregister edge {EdgeId}; its lease will lapse", identity.EdgeId);
        }

        if (_reference is not null)
        {
            cluster.DeleteObjectReference<IEdgeDelivery>(_reference);
        }
    }
}
