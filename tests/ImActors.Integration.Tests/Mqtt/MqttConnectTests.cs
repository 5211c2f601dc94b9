using ImActors.Integration.Tests.Infrastructure;
using MQTTnet;

namespace ImActors.Integration.Tests.Mqtt;

/// <summary>The MQTT listener's CONNECT, CONNACK codes, PINGREQ, DISCONNECT and keep-alive, over real sockets.</summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class MqttConnectTests(ClusterFixture cluster) : IAsyncLifetime
{
    private MqttEdge _edge = null!;

    public async Task InitializeAsync() => _edge = await MqttEdge.StartAsync(cluster);

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task Connect_WithTheTokenAsPassword_IsAccepted_PingIsAnswered_DisconnectCloses()
    {
        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, Clients.NewUser("ann"), "phone-1");

        await mqtt.SendAsync(RawMqtt.PingReq);
        Assert.Equal(13, (await mqtt.ReceiveAsync())?.Type);

        await mqtt.SendAsync(RawMqtt.Disconnect);
        Assert.Empty(await mqtt.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task Connect_WithABadToken_GetsReturnCode4_ThenTheClose()
    {
        await using var mqtt = await RawMqtt.OpenAsync(_edge.MqttPort);
        await mqtt.SendAsync(RawMqtt.Connect("phone-1", "not-a-token"));

        var connAck = (await mqtt.ReadUntilClosedAsync()).Single();
        Assert.Equal(2, connAck.Type);
        Assert.Equal(new byte[] { 0, 4 }, connAck.Body);
    }

    [Fact]
    public async Task Connect_WithoutAPassword_GetsReturnCode4()
    {
        await using var mqtt = await RawMqtt.OpenAsync(_edge.MqttPort);
        await mqtt.SendAsync(RawMqtt.Connect("phone-1", password: null));

        Assert.Equal(new byte[] { 0, 4 }, (await mqtt.ReadUntilClosedAsync()).Single().Body);
    }

    [Fact]
    public async Task Connect_WithAClientIdThatIsNoDeviceId_GetsReturnCode2()
    {
        await using var mqtt = await RawMqtt.OpenAsync(_edge.MqttPort);
        await mqtt.SendAsync(RawMqtt.Connect("no spaces allowed", Clients.Token(Clients.NewUser("ann"))));

        Assert.Equal(new byte[] { 0, 2 }, (await mqtt.ReadUntilClosedAsync()).Single().Body);
    }

    [Fact]
    public async Task Connect_SpeakingMqtt5_GetsReturnCode1()
    {
        await using var mqtt = await RawMqtt.OpenAsync(_edge.MqttPort);
        // A v5 CONNECT has a properties length after the keep-alive; the level alone decides the answer.
        await mqtt.SendAsync(RawMqtt.Packet(0x10, [0, 4, .. "MQTT"u8, 5, 0x02, 0, 60, 0, 0, 3, .. "abc"u8]));

        Assert.Equal(new byte[] { 0, 1 }, (await mqtt.ReadUntilClosedAsync()).Single().Body);
    }

    [Fact]
    public async Task KeepAlive_ClosesAConnectionSilentForOneAndAHalfIntervals()
    {
        await using var mqtt = await RawMqtt.OpenAsync(_edge.MqttPort);
        await mqtt.SendAsync(RawMqtt.Connect("phone-1", Clients.Token(Clients.NewUser("ann")), keepAlive: 1));
        Assert.Equal(2, (await mqtt.ReceiveAsync())?.Type);

        var started = DateTime.UtcNow;
        Assert.Empty(await mqtt.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        var silent = DateTime.UtcNow - started;
        Assert.InRange(silent.TotalSeconds, 1.0, 4.0);
    }

    [Fact]
    public async Task KeepAlive_IsKeptByPings()
    {
        await using var mqtt = await RawMqtt.OpenAsync(_edge.MqttPort);
        // The keep-alive runs from the CONNECT, and a first login may take a second on a loaded machine: 2 s, pinged every 0.5 s.
        await mqtt.SendAsync(RawMqtt.Connect("phone-1", Clients.Token(Clients.NewUser("ann")), keepAlive: 2));
        Assert.Equal(2, (await mqtt.ReceiveAsync())?.Type);

        for (var i = 0; i < 8; i++)
        {
            await mqtt.SendAsync(RawMqtt.PingReq);
            Assert.Equal(13, (await mqtt.ReceiveAsync())?.Type);
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task MqttNetClient_ConnectsAndDisconnects()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _edge.MqttPort)
            .WithClientId("mqttnet-1")
            .WithCredentials("ignored", Clients.Token(Clients.NewUser("ann")))
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .Build();

        var result = await client.ConnectAsync(options);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        await client.PingAsync();
        await client.DisconnectAsync();
    }
}
