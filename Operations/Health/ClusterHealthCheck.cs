using ImActors.Grains.Interfaces.Health;
using ImActors.Grains.Interfaces.Messages;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImActors.Operations.Health;

/// <summary>
/// Ready means this process can serve a send: a silo answers a grain call, and the message store answers that silo and
/// commits, each within <see cref="Limit"/>. One probe call answers both, so a check costs one grain call and one store
/// round trip. The data says which of the two failed. The probe is a stateless worker, so on a silo it runs on that
/// silo and checks that silo's own store connection.
/// </summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var store = await grains.GetGrain<IClusterProbeGrain>(0).ProbeStore().WaitAsync(Limit, cancellationToken);
            return HealthCheckResult.Healthy("the cluster and the message store answer", new Dictionary<string, object>
            {
                ["cluster"] = "up", ["store"] = "up", ["storeMs"] = Math.Round(store.TotalMilliseconds, 2),
            });
        }
        catch (StoreUnavailableException e)
        {
            return HealthCheckResult.Unhealthy("the message store does not answer the cluster: " + e.Message, data: new Dictionary<string, object>
            {
                ["cluster"] = "up", ["store"] = "down",
            });
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is TimeoutException ? $"no answer within {Limit.TotalSeconds:0} s" : e.GetBaseException().Message;
            return HealthCheckResult.Unhealthy("the cluster does not answer: " + reason, data: new Dictionary<string, object>
            {
                ["cluster"] = "down", ["store"] = "unknown",
            });
        }
    }
}
