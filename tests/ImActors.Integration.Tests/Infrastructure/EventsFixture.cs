using ImActors.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// Two silos with the event stream on, clustered through a real Redis (one server, or a cluster when the store switch
/// says so), with webhooks to a real local HTTP
/// receiver, the offline push to another, and an edge for SDK clients. Retries are short (3 attempts, 100-200 ms apart) so a test sees the bound.
/// A fixture of its own: the shared cluster runs with events off, as a deployment does by default.
/// </summary>
public sealed class EventsFixture : IAsyncLifetime
{
    // The silo configurators are built by the test host from their type alone, so they read these from here.
    private static string s_redis = "";
    private static IConfiguration s_settings = new ConfigurationBuilder().Build();

    public const string Secret = "webhook-secret-for-tests-0123456789";

    public const int MaxAttempts = 3;

    public ITestRedis Redis { get; } = TestRedis.FromSwitch();

    public WebhookReceiver Receiver { get; private set; } = null!;

    /// <summary>The offline push's endpoint, a receiver of its own (decision 111); notices are coalesced per <see cref="PushWindow"/>.</summary>
    public WebhookReceiver Push { get; private set; } = null!;

    /// <remarks>
    /// A window opens when the push reader sees a user's first message. On a Redis Cluster events are read in polls of
    /// every slot's list, once a second (<c>Events:ShardedPollPeriod</c>), and a poll of 8,192 lists on a loaded 2-core
    /// machine took long enough that the third of three quick sends came after a 1-s window had closed: the window
    /// must outlast a poll and its reading.
    /// </remarks>
    public static readonly TimeSpan PushWindow = TimeSpan.FromSeconds(StoreSwitch.OnCluster ? 3 : 1);

    public const string PushSecret = "push-secret-for-tests-0123456789abcdef";

    public TestCluster Cluster { get; private set; } = null!;

    public EdgeProcess Edge { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public string ClusterId { get; private set; } = "";

    /// <summary>A plain connection to the store, for what an operator reads (the dead letters).</summary>
    public IDatabase Store => _store!.GetDatabase();

    private ConnectionMultiplexer? _store;

    public async Task InitializeAsync()
    {
        await Redis.StartAsync();
        Receiver = await WebhookReceiver.StartAsync();
        Push = await WebhookReceiver.StartAsync();
        s_redis = Redis.ConnectionString;
        s_settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Events:Enabled"] = "true",
            ["Events:Queues"] = "2",
            ["Webhooks:Urls:0"] = Receiver.Url,
            ["Webhooks:Secret"] = Secret,
            ["Webhooks:MaxAttempts"] = MaxAttempts.ToString(),
            ["Webhooks:FirstRetryDelay"] = "00:00:00.1",
            ["Webhooks:MaxRetryDelay"] = "00:00:00.2",
            ["Webhooks:AttemptTimeout"] = "00:00:02",
            ["Presence:OfflineGrace"] = "00:00:01",
            ["Presence:SweepPeriod"] = "00:00:01",
            ["Push:Url"] = Push.Url,
            ["Push:Secret"] = PushSecret,
            ["Push:Window"] = PushWindow.ToString(),
            ["Push:MaxAttempts"] = MaxAttempts.ToString(),
            ["Push:FirstRetryDelay"] = "00:00:00.1",
            ["Push:MaxRetryDelay"] = "00:00:00.2",
        }).AddInMemoryCollection(TestRedis.SiloSettings()).Build();
        ClusterId = "events-" + Guid.NewGuid().ToString("N")[..8];
        var clusterId = ClusterId;
        Cluster = await TestClusters.DeployAsync<SiloConfigurator, ClientConfigurator>(clusterId);
        Edge = await EdgeProcess.StartAsync(Redis.ConnectionString, clusterId, "edge-events", heartbeat: TimeSpan.FromSeconds(2), sendQueue: 1024);
        _store = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _store?.Dispose();
        if (Edge is not null) await Edge.DisposeAsync();
        await TestClusters.StopAsync(Cluster);

        if (Receiver is not null) await Receiver.DisposeAsync();
        if (Push is not null) await Push.DisposeAsync();
        await Redis.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddImActorsCluster(s_redis, s_settings);
            siloBuilder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(s_redis));
    }
}

[CollectionDefinition(Name)]
public sealed class EventsCollection : ICollectionFixture<EventsFixture>
{
    public const string Name = "events";
}
