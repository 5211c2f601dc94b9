using System.Collections.Concurrent;
using System.Text;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace ImActors.Integration.Tests.Mqtt;

/// <summary>
/// 1:1 messages over MQTT: a QoS 1 PUBLISH is PUBACKed only once stored, the inbox arrives as QoS 1 PUBLISHes whose
/// PUBACK is the delivery report, and MQTT and native clients talk both ways.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MqttMessagingTests(ClusterFixture cluster) : IAsyncLifetime
{
    private MqttEdge _edge = null!;

    public async Task InitializeAsync() => _edge = await MqttEdge.StartAsync(cluster);

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task QoS1Publish_IsPubAckedOnceStored_AndANativeRecipientGetsIt()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);
        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, ann, "sensor-1");

        await mqtt.SendAsync(RawMqtt.Publish($"im/send/u/{bob}", "hello from mqtt", qos: 1, packetId: 42));
        var pubAck = await mqtt.ReceiveAsync();

        Assert.Equal(4, pubAck?.Type);
        Assert.Equal(new byte[] { 0, 42 }, pubAck!.Value.Body);
        // The PUBACK came after the store's commit: the message is in both inboxes already.
        Assert.Equal(1, await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq());
        var received = (await bobClient.ReceiveAsync(1)).Single();
        Assert.Equal(("hello from mqtt", ann), (received.Text, received.From));
    }

    [Fact]
    public async Task TheInbox_ArrivesAsQoS1Publishes_WhosePubAckIsTheDeliveryReport()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, bob, "watch-1");
        await mqtt.SendAsync(RawMqtt.Subscribe(7, ($"im/u/{bob}", 1)));
        var subAck = await mqtt.ReceiveAsync();
        Assert.Equal(9, subAck?.Type);
        Assert.Equal(new byte[] { 0, 7, 1 }, subAck!.Value.Body);

        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        var ack = await annClient.SendTextAsync(bob, "hi bob");

        var publish = await mqtt.ReceiveAsync();
        Assert.Equal((3, 2), (publish?.Type, publish?.Flags)); // PUBLISH, QoS 1
        var (topic, packetId, push) = MqttPush.FromPublish(publish!.Value.Body);
        Assert.Equal($"im/u/{bob}", topic);
        Assert.Equal(new MqttPush(ack.MessageId, ack.PeerSeq, ann, bob, null, "text/plain", "hi bob"), push);
        await mqtt.SendAsync(RawMqtt.PubAck(packetId));
        await mqtt.SendAsync(RawMqtt.PingReq);
        Assert.Equal(13, (await mqtt.ReceiveAsync())?.Type);
    }

    [Fact]
    public async Task Subscribing_ToAnotherUsersInboxOrAnyOtherTopic_IsRefusedInTheSubAck()
    {
        var bob = Clients.NewUser("bob");
        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, bob, "watch-1");

        await mqtt.SendAsync(RawMqtt.Subscribe(3, ("im/u/someone-else", 1), ($"im/u/{bob}", 0), ("im/#", 1), ("im/u/+", 1), ("weather/today", 0)));

        var subAck = await mqtt.ReceiveAsync();
        Assert.Equal(new byte[] { 0, 3, 0x80, 0, 0x80, 0x80, 0x80 }, subAck?.Body);
    }

    [Fact]
    public async Task AnMqttClientAndANativeClient_ChatBothWays_MqttNetAsTheMqttClient()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var annNative = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        using var bobMqtt = new MqttClientFactory().CreateMqttClient();
        var received = new ConcurrentQueue<(string Topic, MqttPush Push)>();
        bobMqtt.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, MqttPush.Parse(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload))));
            return Task.CompletedTask;
        };
        await bobMqtt.ConnectAsync(Options(bob, "mqttnet-bob"));
        await bobMqtt.SubscribeAsync($"im/u/{bob}", MqttQualityOfServiceLevel.AtLeastOnce);

        for (var i = 1; i <= 3; i++)
        {
            await annNative.SendTextAsync(bob, $"ann says {i}");
            var reply = await bobMqtt.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"im/send/u/{ann}").WithPayload($"bob says {i}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True(reply.IsSuccess);
        }

        // A device is not pushed its own sends: each side gets the other's three.
        var atAnn = await annNative.ReceiveAsync(3);
        Assert.Equal(["bob says 1", "bob says 2", "bob says 3"], atAnn.Select(m => m.Text));
        await Eventually.TrueAsync(() => received.Count >= 3);
        var pushes = received.Select(r => r.Push).ToList();
        Assert.All(received, r => Assert.Equal($"im/u/{bob}", r.Topic));
        Assert.Equal(pushes.OrderBy(p => p.Seq).Select(p => p.Seq), pushes.Select(p => p.Seq));
        Assert.Equal(["ann says 1", "ann says 2", "ann says 3"], pushes.Where(p => p.From == ann).Select(p => p.Body));
        await bobMqtt.DisconnectAsync();
    }

    internal static MqttClientOptions Options(string user, string clientId, bool cleanSession = true, int port = 0) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithCredentials(user, Clients.Token(user))
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithCleanSession(cleanSession)
            .Build();

    private MqttClientOptions Options(string user, string clientId) => Options(user, clientId, cleanSession: true, _edge.MqttPort);
}
