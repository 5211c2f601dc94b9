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
/// The production shape on a sharded store: a real 3-master Redis Cluster with a replica each
/// (<see cref="RedisClusterProcess"/>), two silos clustered through it with <c>Store:Sharded=true</c>, the event
/// stream on with webhooks to a real receiver, and two edges. Orleans' membership, the inbox logs, group timelines and
/// outbox lists all live on the cluster, each key in the slot its hash tag names.
/// Inboxes keep <see cref="KeptEntries"/> entries, so that retention shows within a test.
/// </summary>
public sealed class ShardedStoreFixture : IAsyncLifetime
{
    // The silo configurators are built by the test host from their type alone, so they read these from here.
    private static string s_redis = "";
    private static IConfiguration s_settings = new ConfigurationBuilder().Build();

    public const int KeptEntries = 20;

    public RedisClusterProcess Redis { get; } = new(masters: 3);

    public WebhookReceiver Receiver { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public EdgeProcess Edge { get; private set; } = null!;

    public EdgeProcess EdgeB { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>A plain cluster-aware connection to the store, for looking at where keys live.</summary>
    public ConnectionMultiplexer Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.StartAsync();
        Receiver = await WebhookReceiver.StartAsync();
        s_redis = Redis.ConnectionString;
        s_settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Sharded"] = "true",
            ["Inbox:MaxEntries"] = KeptEntries.ToString(),
            ["Events:Enabled"] = "true",
            ["Events:Queues"] = "2",
            ["Events:ShardedPollPeriod"] = "00:00:00.2",
            ["Webhooks:Urls:0"] = Receiver.Url,
            ["Webhooks:Secret"] = EventsFixture.Secret,
        }).Build();
        var clusterId = "sharded-" + Guid.NewGuid().ToString("N")[..8];
        Cluster = await TestClusters.DeployAsync<SiloConfigurator, ClientConfigurator>(clusterId);
        Edge = await EdgeProcess.StartAsync(Redis.ConnectionString, clusterId, "edge-s1", heartbeat: TimeSpan.FromSeconds(2), sendQueue: 1024);
        EdgeB = await EdgeProcess.StartAsync(Redis.ConnectionString, clusterId, "edge-s2", heartbeat: TimeSpan.FromSeconds(2), sendQueue: 1024);
        Store = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        Store?.Dispose();
        if (EdgeB is not null) await EdgeB.DisposeAsync();
        if (Edge is not null) await Edge.DisposeAsync();
        await TestClusters.StopAsync(Cluster);

        if (Receiver is not null) await Receiver.DisposeAsync();
        await Redis.DisposeAsync();
    }

    /// <summary>The address of the master holding <paramref name="key"/>'s slot.</summary>
    public string ShardOf(RedisKey key) => Store.GetServer(key).EndPoint.ToString()!;

    /// <summary>A fresh user name for each master of the cluster, in the order of <see cref="Masters"/>: one user per shard.</summary>
    public List<string> OneUserPerShard(string name)
    {
        var wanted = Masters();
        var found = new Dictionary<string, string>();
        while (found.Count < wanted.Count)
        {
            var user = Clients.NewUser(name);
            found.TryAdd(ShardOf($"im:{{{user}}}:seq"), user);
        }

        return wanted.Select(m => found[m]).ToList();
    }

    public List<string> Masters() =>
        Store.GetServers().Where(s => s.IsConnected && !s.IsReplica).Select(s => s.EndPoint.ToString()!).Order().ToList();

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
public sealed class ShardedStoreCollection : ICollectionFixture<ShardedStoreFixture>
{
    public const string Name = "sharded store";
}
