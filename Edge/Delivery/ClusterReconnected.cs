namespace ImActors.Edge.Delivery;

/// <summary>
/// Hears from the Orleans client when its connection to the cluster comes back, and tells the
/// <see cref="EdgeRegistrar"/> to re-register at once. A separate class because the cluster client
/// resolves its status observers while it is being built, before it can be injected anywhere.
/// </summary>
public sealed class ClusterReconnected(ILogger<ClusterReconnected> logger) : IClusterConnectionStatusObserver
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (connectionRecovered && _signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public void NotifyClusterConnectionLost() => logger.LogWarning("Lost the connection to the cluster; will re-register when it is back");
}
