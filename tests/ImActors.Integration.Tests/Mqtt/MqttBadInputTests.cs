using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Mqtt;

/// <summary>
/// What MQTT 3.1.1 calls a protocol violation closes the connection without a reply; what was sent before it is still
/// stored, and other connections carry on.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class MqttBadInputTests(ClusterFixture cluster) : IAsyncLifetime
{
    private MqttEdge _edge = null!;

    public async Task InitializeAsync() => _edge = await MqttEdge.StartAsync(cluster);

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    public static TheoryData<string, byte[]> BeforeConnect => new()
    {
        { "PUBLISH before CONNECT", RawMqtt.Publish("im/send/u/bob", "x") },
        { "SUBSCRIBE before CONNECT", RawMqtt.Subscribe(1, ("im/u/bob", 1)) },
        { "remaining length over four bytes", [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "reserved packet type 0", [0x00, 0x00] },
        { "reserved packet type 15", [0xF0, 0x00] },
    };

    [Theory]
    [MemberData(nameof(BeforeConnect))]
    public async Task BeforeConnect_ABadPacket_ClosesWithoutAReply(string what, byte[] packet)
    {
        await using var mqtt = await RawMqtt.OpenAsync(_edge.MqttPort);
        await mqtt.SendAsync(packet);

        Assert.True((await mqtt.ReadUntilClosedAsync()).Count == 0, what);
    }

    public static TheoryData<string, byte[]> AfterConnect => new()
    {
        { "wildcard + in a send topic", RawMqtt.Publish("im/send/u/+", "x") },
        { "wildcard # in a send topic", RawMqtt.Publish("im/send/#", "x") },
        { "a second CONNECT", RawMqtt.Connect("again", "token") },
        { "unknown packet type 15", [0xF0, 0x00] },
        { "PUBREL for nothing", [0x62, 0x02, 0x00, 0x01] },
        { "SUBSCRIBE with wrong flags", [0x80, 0x06, 0x00, 0x01, 0x00, 0x01, (byte)'a', 0x01] },
        { "QoS 3", [0x36, 0x05, 0x00, 0x01, (byte)'a', 0x00, 0x01] },
        { "oversize (200,000 bytes announced)", [0x30, 0xC0, 0x9A, 0x0C] },
        { "PUBLISH to a topic that is no send topic", RawMqtt.Publish("weather/today", "sunny") },
    };

    [Theory]
    [MemberData(nameof(AfterConnect))]
    public async Task AfterConnect_ABadPacket_Closes_WhatCameBeforeIsStored_AndOthersCarryOn(string what, byte[] packet)
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var bystander = await RawMqtt.ConnectAsync(_edge.MqttPort, Clients.NewUser("carl"), "carl-1");
        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, ann, "ann-1");

        // A good send and the bad packet in one write: the send is stored all the same.
        await mqtt.SendAsync([.. RawMqtt.Publish($"im/send/u/{bob}", "before the bad packet"), .. packet]);

        var packets = await mqtt.ReadUntilClosedAsync();
        Assert.True(packets.All(p => p.Type == 4), $"{what}: only a PUBACK may precede the close");
        await Eventually.TrueAsync(async () => await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq() == 1);
        await bystander.SendAsync(RawMqtt.PingReq);
        Assert.Equal(13, (await bystander.ReceiveAsync())?.Type);
    }

    [Fact]
    public async Task QoS0_IsStoredAsBestEffort_WithoutAReply()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, ann, "ann-1");

        await mqtt.SendAsync(RawMqtt.Publish($"im/send/u/{bob}", "fire and forget", qos: 0));
        await mqtt.SendAsync(RawMqtt.PingReq);

        Assert.Equal(13, (await mqtt.ReceiveAsync())?.Type);
        await Eventually.TrueAsync(async () => await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq() == 1);
    }

    [Fact]
    public async Task ASendTheClusterRefusesForGood_IsAcknowledgedAndDropped_TheConnectionStays()
    {
        var ann = Clients.NewUser("ann");
        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, ann, "ann-1");

        // Not a member of a group that does not exist: MQTT 3.1.1 has no negative PUBACK.
        await mqtt.SendAsync(RawMqtt.Publish("im/send/g/no-such-group", "lost cause", packetId: 3));
        Assert.Equal(new byte[] { 0, 3 }, (await mqtt.ReceiveAsync())?.Body);
        await mqtt.SendAsync(RawMqtt.PingReq);
        Assert.Equal(13, (await mqtt.ReceiveAsync())?.Type);
    }
}
