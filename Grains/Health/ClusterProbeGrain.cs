using System.Diagnostics;
using ImActors.Grains.Interfaces.Health;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Store;
using Orleans.Concurrency;

namespace ImActors.Grains.Health;

/// <summary>
/// Runs on whichever silo the call reaches (a stateless worker, local to the caller where one is), so a health check
/// costs no directory lookup and no activation beyond one per silo.
/// </summary>
/// <remarks>
/// Reentrant: probes are independent, and every edge now probes every 2 s in the background (decision 125). Taken one
/// at a time, probes that each wait out the store's 2 s limit during an outage queued behind one another, and a
/// <c>/health</c> request timed out as "the cluster does not answer" while only the store was down.
/// </remarks>
[StatelessWorker(1)]
[Reentrant]
internal sealed class ClusterProbeGrain(StoreConnection store) : Grain, IClusterProbeGrain
{
    // Under the edge's limit for the whole check, so that a store that hangs is reported as the store.
    private static readonly TimeSpan StoreLimit = TimeSpan.FromSeconds(2);

    public async Task<TimeSpan> ProbeStore()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await store.PingAsync().WaitAsync(StoreLimit);
        }
        catch (TimeoutException)
        {
            throw new StoreUnavailableException($"message store did not answer within {StoreLimit.TotalSeconds:0} s");
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
