using ImActors.Edge.Sessions;
using ImActors.Edge.Delivery;
using ImActors.Grains.Conversations;
using ImActors.Grains.Inbox;
using ImActors.Client;
using ImActors.Edge.Hosting;
using ImActors.Edge.Presence;
using ImActors.Grains.Presence;
using ImActors.Protocol;
using ImActors.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// Two silos (Orleans TestingHost, real TCP between them) clustered through a real Redis, and three
/// edges on loopback ports connected to them as Orleans clients, exactly as in production. The "strict"
/// edge has a short heartbeat and a tiny send queue for the tests of those limits. The Redis is one redis-server,
/// or a 3-master Redis Cluster when the store switch says so (<see cref="ImActors.Tests.StoreSwitch"/>).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // The silo configurators are built by the test host from their type alone, so they read the store from here.
    private static string s_redis = "";

    public ITestRedis Redis { get; } = TestRedis.FromSwitch();

    public TestCluster Cluster { get; private set; } = null!;

    public EdgeProcess Edge { get; private set; } = null!;

    public EdgeProcess StrictEdge { get; private set; } = null!;

    /// <summary>A second edge with the same settings as <see cref="Edge"/>: for fan-out across edges.</summary>
    public EdgeProcess EdgeB { get; private set; } = null!;

    /// <summary>The key <see cref="Edge"/>'s admin API accepts; <see cref="EdgeB"/> has an admin port and no key, so no API.</summary>
    public const string ApiKey = "test-key-0123456789abcdef";

    /// <summary>The recall window the test silos use: short, so that a test can outwait it.</summary>
    public static readonly TimeSpan RecallWindow = TimeSpan.FromSeconds(4);

    /// <summary>Presence timing of the test silos: short, so that a test can outwait the grace and see gone edges swept.</summary>
    public static readonly PresenceOptions Presence = new()
    {
        OfflineGrace = TimeSpan.FromSeconds(2.5), PushWindow = TimeSpan.FromMilliseconds(500), SweepPeriod = TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// The per-sender unread cap of the test silos: low, so that a test reaches it quickly, and above the most any other
    /// test leaves unread from one sender (400, by the client that stops reading in <c>BadInputTests</c>).
    /// </summary>
    public const int UnreadPerSender = 500;

    /// <summary>How many users one connection of the strict edge may watch.</summary>
    public const int StrictWatchLimit = 3;

    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Another edge of this cluster with <paramref name="settings"/> over the test defaults: for tests of limits and deadlines.</summary>
    public Task<EdgeProcess> StartEdgeAsync(string edgeId, IReadOnlyDictionary<string, string?> settings, TimeProvider? time = null) =>
        EdgeProcess.StartAsync(Redis.ConnectionString, ClusterId, edgeId, heartbeat: TimeSpan.FromSeconds(30), sendQueue: 1024, settings: settings, time: time);

    public async Task InitializeAsync()
    {
        await Redis.StartAsync();
        s_redis = Redis.ConnectionString;
        Cluster = await TestClusters.DeployAsync<SiloConfigurator, ClientConfigurator>(ClusterId);

        Edge = await EdgeProcess.StartAsync(Redis.ConnectionString, ClusterId, "edge-a", heartbeat: TimeSpan.FromSeconds(2), sendQueue: 1024,
            apiKeys: new() { ["tests"] = ApiKey });
        StrictEdge = await EdgeProcess.StartAsync(
            Redis.ConnectionString, ClusterId, "edge-strict", heartbeat: TimeSpan.FromMilliseconds(500), sendQueue: 8, maxWatches: StrictWatchLimit);
        EdgeB = await EdgeProcess.StartAsync(Redis.ConnectionString, ClusterId, "edge-b", heartbeat: TimeSpan.FromSeconds(2), sendQueue: 1024);
    }

    public async Task DisposeAsync()
    {
        // Null-safe: a fixture that failed half-way still cleans up what it started.
        if (EdgeB is not null) await EdgeB.DisposeAsync();
        if (StrictEdge is not null) await StrictEdge.DisposeAsync();
        if (Edge is not null) await Edge.DisposeAsync();
        await TestClusters.StopAsync(Cluster);

        await Redis.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddImActorsCluster(s_redis, new ConfigurationBuilder().AddInMemoryCollection(TestRedis.SiloSettings()).Build());
            siloBuilder.Services.Configure<ConversationOptions>(o => o.RecallWindow = RecallWindow);
            siloBuilder.Services.Configure<InboxOptions>(o => o.MaxUnreadPerSender = UnreadPerSender);
            siloBuilder.Services.Configure<PresenceOptions>(o =>
            {
                o.OfflineGrace = Presence.OfflineGrace;
                o.PushWindow = Presence.PushWindow;
                o.SweepPeriod = Presence.SweepPeriod;
            });
            siloBuilder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(s_redis));
    }
}

/// <summary>An edge host in this process, on free loopback ports.</summary>
public sealed class EdgeProcess : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EdgeProcess(WebApplication app, int tcpPort, int httpPort, int adminPort)
    {
        _app = app;
        TcpPort = tcpPort;
        HttpPort = httpPort;
        AdminPort = adminPort;
    }

    public int TcpPort { get; }

    public int HttpPort { get; }

    /// <summary>The admin API's port: configured on every test edge, listening only where API keys are.</summary>
    public int AdminPort { get; }

    public Uri Admin => new($"http://127.0.0.1:{AdminPort}");

    public Uri Tcp => new($"tcp://127.0.0.1:{TcpPort}");

    public Uri WebSocket => new($"ws://127.0.0.1:{HttpPort}{ProtocolDefaults.WebSocketPath}");

    /// <summary>The edge's id and this run's incarnation, as sessions record them.</summary>
    public EdgeIdentity Identity => _app.Services.GetRequiredService<EdgeIdentity>();

    /// <summary>What the cluster pushed to this edge so far.</summary>
    public DeliveryStats Stats => _app.Services.GetRequiredService<DeliveryStats>();

    /// <summary>The groups this edge holds members of, and its subscribe calls.</summary>
    public LocalGroups Groups => _app.Services.GetRequiredService<LocalGroups>();

    /// <summary>The users watched from this edge, and its watch calls.</summary>
    public LocalWatches Watches => _app.Services.GetRequiredService<LocalWatches>();

    /// <summary>The connections open on this edge.</summary>
    public LocalConnections Connections => _app.Services.GetRequiredService<LocalConnections>();

    /// <summary>
    /// What every test edge runs with unless a test says otherwise: the public development secret, allowed explicitly,
    /// and no connection or rate limits, since the suite opens hundreds of connections from 127.0.0.1 and sends in
    /// bursts. The tests of those limits start an edge of their own with <c>settings</c> that set them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Unlimited = new Dictionary<string, string?>
    {
        ["Auth:Development"] = "true",
        // Short, so that the SDK's refresh before expiry runs within a test.
        ["Auth:AccessLifetime"] = "00:00:06",
        ["Admission:MaxConnectionsPerAddress"] = "0",
        ["Admission:ConnectsPerSecondPerAddress"] = "0",
        ["Limits:MessagesPerSecond"] = "0",
        ["Limits:BytesPerSecond"] = "0",
        ["Limits:RequestsPerSecond"] = "0",
        ["Limits:UserMessagesPerSecond"] = "0",
        ["Limits:UserBytesPerSecond"] = "0",
    };

    /// <param name="settings">Configuration over <see cref="Unlimited"/> and the ports; a null value removes a setting.</param>
    /// <param name="time">The edge's clock, for tests that move it (deadlines, token expiry).</param>
    public static async Task<EdgeProcess> StartAsync(
        string redis, string clusterId, string edgeId, TimeSpan heartbeat, int sendQueue, Dictionary<string, string>? apiKeys = null,
        IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, int maxWatches = 500)
    {
        var tcp = FreePorts.Next();
        var http = FreePorts.Next();
        var admin = FreePorts.Next();
        var app = EdgeHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection((apiKeys ?? []).Select(k => KeyValuePair.Create($"Admin:ApiKeys:{k.Key}", (string?)k.Value)));
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Admin:Port"] = admin.ToString(),
                ["Store:Redis"] = redis,
                ["Cluster:ClusterId"] = clusterId,
                ["Edge:EdgeId"] = edgeId,
                ["Edge:TcpPort"] = tcp.ToString(),
                ["Edge:HttpPort"] = http.ToString(),
                ["Edge:HeartbeatInterval"] = heartbeat.ToString(),
                ["Edge:SendQueueLimit"] = sendQueue.ToString(),
                ["Edge:MaxWatchesPerConnection"] = maxWatches.ToString(),
            });
            builder.Configuration.AddInMemoryCollection(Unlimited);
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            if (time is not null)
            {
                builder.Services.AddSingleton(new EdgeClock(time));
            }

            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        return new EdgeProcess(app, tcp, http, admin);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
