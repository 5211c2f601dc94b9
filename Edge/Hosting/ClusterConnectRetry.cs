using Orleans;

namespace ImActors.Edge.Hosting;

/// <summary>
/// An edge started before any silo (or while the cluster restarts) keeps trying to join instead of
/// exiting: edges and silos can be started in any order.
/// </summary>
internal sealed class ClusterConnectRetry(ILogger<ClusterConnectRetry> logger) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        logger.LogWarning("Cannot reach the cluster yet ({Reason}); retrying in 1 s", exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return true;
    }
}
