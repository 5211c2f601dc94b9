using System.Net;
using System.Net.WebSockets;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace ImActors.Integration.Tests.Operations;

/// <summary>
/// An edge that is not ready turns new connections away (decision 125): with the store stopped, a TCP connection gets
/// <c>error 503</c> before any hello and a WebSocket upgrade gets HTTP 503, each counted in the refusals metric under
/// the store; with the store back, both are taken again. A cluster and a redis-server of its own, since the test stops the store.
/// </summary>
[Trait("Tier", "Slow")]
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class ReadinessGateTests : IAsyncLifetime
{
    // The silo configurators are built by the test host from their type alone, so they read the store from here.
    private static string s_redis = "";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private const string RefusalsMetric = "imactors_edge_readiness_refusals_total";

    private readonly RedisServerProcess _redis = new();
    private TestCluster? _cluster;
    private EdgeProcess? _edge;
    private readonly int _mqttPort = FreePorts.Next();
    private bool _storeDown;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        s_redis = _redis.ConnectionString;
        var clusterId = "ready-" + Guid.NewGuid().ToString("N")[..8];
        _cluster = await TestClusters.DeployAsync<SiloConfigurator, ClientConfigurator>(clusterId);
        _edge = await EdgeProcess.StartAsync(_redis.ConnectionString, clusterId, "edge-ready", heartbeat: TimeSpan.FromSeconds(30), sendQueue: 1024,
            settings: new Dictionary<string, string?>
            {
                ["Edge:ReadinessInterval"] = "00:00:00.500", ["Edge:MqttPort"] = _mqttPort.ToString(), ["Admin:Metrics"] = "true",
            });
    }

    public async Task DisposeAsync()
    {
        if (_storeDown)
        {
            // A test that failed with the store down: silos and edges stop in seconds with it up, in minutes without.
            await _redis.StartAsync();
        }

        if (_edge is not null) await _edge.DisposeAsync();
        await TestClusters.StopAsync(_cluster);
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task WithTheStoreStopped_NewConnectionsAreRefusedWith503_AndTakenAgainOnceItIsBack()
    {
        var edge = _edge!;
        using var http = new HttpClient();
        await using (var before = await RawConnection.OpenTcpAsync(edge))
        {
            await before.HelloAsync(Clients.NewUser("before"));
        }

        await _redis.KillAsync();
        _storeDown = true;
        var refused = await UntilAsync(async () => await FirstFrameAsync(edge) is ErrorFrame { Code: ErrorCodes.Unavailable } error ? error : null);
        Assert.True(refused.Retryable);
        Assert.True(refused.RetryAfterMs > 0);
        Assert.Contains("not ready", refused.Reason);
        Assert.Contains("store", refused.Reason);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await UpgradeStatusAsync(edge));
        Assert.Equal(MqttServerUnavailable, await MqttRefusalBeforeConnectAsync());
        // Counted as they were answered, by transport and by what failed; the reason's words stay out of the labels.
        var scrape = await PrometheusText.ScrapeAsync(http, edge.Admin);
        foreach (var transport in new[] { "tcp", "ws", "mqtt" })
        {
            Assert.True(PrometheusText.Sum(scrape, RefusalsMetric, $"transport=\"{transport}\"", "reason=\"store\"") >= 1, scrape);
        }

        await _redis.StartAsync();
        _storeDown = false;
        await UntilAsync(async () => await FirstFrameAsync(edge) is ErrorFrame { Code: ErrorCodes.Unavailable } ? null : "taken");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(edge));
        await using var after = await RawConnection.OpenTcpAsync(edge);
        await after.HelloAsync(Clients.NewUser("after"));
        Assert.Equal(0, await MqttConnAckCodeAsync(Clients.NewUser("mqtt-after")));
    }

    private const int MqttServerUnavailable = 3;

    /// <summary>
    /// The CONNACK code an MQTT client gets before it sends its CONNECT: only the gate answers that early (a CONNECT that
    /// reached the session core while the store is down would be refused with the same code, later).
    /// </summary>
    private async Task<int> MqttRefusalBeforeConnectAsync()
    {
        await using var mqtt = await RawMqtt.OpenAsync(_mqttPort);
        var connAck = await mqtt.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, connAck?.Type);
        return connAck!.Value.Body[1];
    }

    /// <summary>The return code of the CONNACK an MQTT client gets for its CONNECT.</summary>
    private async Task<int> MqttConnAckCodeAsync(string user)
    {
        await using var mqtt = await RawMqtt.OpenAsync(_mqttPort);
        await mqtt.SendAsync(RawMqtt.Connect("device-1", Clients.Token(user)));
        var connAck = await mqtt.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, connAck?.Type);
        return connAck!.Value.Body[1];
    }

    /// <summary>What a fresh TCP connection gets before saying anything: a refusal, or nothing within a second.</summary>
    private static async Task<object?> FirstFrameAsync(EdgeProcess edge)
    {
        await using var connection = await RawConnection.OpenTcpAsync(edge);
        try
        {
            return (await connection.ReceiveAsync(TimeSpan.FromSeconds(1)))?.Body;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<HttpStatusCode> UpgradeStatusAsync(EdgeProcess edge)
    {
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        try
        {
            await socket.ConnectAsync(edge.WebSocket, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        return socket.HttpStatusCode;
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> attempt) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await attempt() is { } done)
            {
                return done;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Patience.TotalSeconds:0} s");
            await Task.Delay(200);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddImActorsCluster(s_redis);
            siloBuilder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(s_redis));
    }
}
