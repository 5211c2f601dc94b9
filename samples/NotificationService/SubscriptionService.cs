using Microsoft.Extensions.Hosting;

namespace ImActors.Samples.NotificationService;

/// <summary>Subscribes once the Orleans client is connected (it starts first), and unsubscribes on a clean stop.</summary>
public sealed class SubscriptionService(EventSubscription subscription, int queues) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => subscription.StartAsync(queues);

    public Task StopAsync(CancellationToken cancellationToken) => subscription.StopAsync();
}
