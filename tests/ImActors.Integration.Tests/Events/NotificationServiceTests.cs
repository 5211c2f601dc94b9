using System.Text;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Samples.NotificationService;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImActors.Integration.Tests.Events;

/// <summary>
/// The sample business service (samples/NotificationService) as it runs: an Orleans client of its own, subscribed
/// explicitly to the event stream of a real cluster (decision 122), answering a user's coming online with a system
/// message that reaches the user's device.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class NotificationServiceTests(EventsFixture events)
{
    [Fact]
    public async Task UserComingOnline_GetsTheServicesSystemMessage()
    {
        await using var service = await StartServiceAsync();
        var kate = Clients.NewUser("kate");

        await using var device = await Clients.ConnectAsync(events.Edge.Tcp, kate);

        var welcome = Assert.Single(await device.ReceiveAsync(1, TimeSpan.FromSeconds(20)));
        Assert.Equal(("", WelcomeBack.ContentType, $"welcome back, {kate}"), (welcome.From, welcome.ContentType, Encoding.UTF8.GetString(welcome.Body)));
    }

    [Fact]
    public async Task ServiceStoppedAndStartedAgain_WelcomesOnce()
    {
        await (await StartServiceAsync()).DisposeAsync();

        await using var again = await StartServiceAsync();
        var liam = Clients.NewUser("liam");
        await using var device = await Clients.ConnectAsync(events.Edge.Tcp, liam);

        Assert.Single(await device.ReceiveAsync(1, TimeSpan.FromSeconds(20)));
        // One subscription per queue: a second one would have sent a second welcome (its cmid differs per event only).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var seq = await events.Grains.GetGrain<Grains.Interfaces.Users.IUserGrain>(liam).GetInboxSeq();
        Assert.Equal(1, seq);
    }

    private async Task<RunningService> StartServiceAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Redis"] = events.Redis.ConnectionString,
            ["Cluster:ClusterId"] = events.ClusterId,
            ["Events:Queues"] = "2",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var host = builder.AddNotificationService().Build();
        await host.StartAsync();
        return new RunningService(host);
    }

    /// <summary>Stops the host as a clean shutdown does (its subscriptions ended), then disposes it.</summary>
    private sealed class RunningService(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
