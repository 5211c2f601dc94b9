using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace ImActors.Samples.NotificationService;

/// <summary>
/// The service's host: an Orleans client of the cluster with the event stream, the subscription and the business rule.
/// Settings: <c>Store:Redis</c> (the cluster's store), <c>Cluster:ClusterId</c>, <c>Events:Queues</c> (the silos' value).
/// </summary>
public static class ServiceSetup
{
    public static HostApplicationBuilder AddNotificationService(this HostApplicationBuilder builder)
    {
        var redis = builder.Configuration["Store:Redis"] ?? "127.0.0.1:6379";
        var queues = builder.Configuration.GetValue("Events:Queues", 4);
        builder.UseOrleansClient(client => client
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis))
            .Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = builder.Configuration["Cluster:ClusterId"] ?? "dev";
                // Fixed for the product, as on the silos.
                o.ServiceId = "imactors";
            })
            .AddImActorsEvents(queues));
        builder.Services.AddSingleton<IEventHandler, WelcomeBack>();
        builder.Services.AddSingleton<EventSubscription>();
        builder.Services.AddHostedService(sp => new SubscriptionService(sp.GetRequiredService<EventSubscription>(), queues));
        return builder;
    }
}
