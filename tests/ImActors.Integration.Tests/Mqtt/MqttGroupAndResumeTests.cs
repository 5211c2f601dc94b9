using ImActors.Grains.Interfaces.Mqtt;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Mqtt;

/// <summary>Group topics for members only, and a persistent session (clean session 0) resuming the inbox in order.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MqttGroupAndResumeTests(ClusterFixture cluster) : IAsyncLifetime
{
    private MqttEdge _edge = null!;

    public async Task InitializeAsync() => _edge = await MqttEdge.StartAsync(cluster);

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task AMember_SubscribesToItsGroup_NotToAnother_AndSendsAndReceivesThere()
    {
        var (owner, bob) = (Clients.NewUser("owner"), Clients.NewUser("bob"));
        var (group, other) = (Clients.NewUser("team"), Clients.NewUser("other"));
        await using var ownerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await ownerClient.CreateGroupAsync(group, [bob]);
        await ownerClient.CreateGroupAsync(other, []);
        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, bob, "bob-mqtt");

        await mqtt.SendAsync(RawMqtt.Subscribe(5, ($"im/g/{group}", 1), ($"im/g/{other}", 1), ("im/g/no-such-group", 1)));
        Assert.Equal(new byte[] { 0, 5, 1, 0x80, 0x80 }, (await mqtt.ReceiveAsync())?.Body);

        await mqtt.SendAsync(RawMqtt.Publish($"im/send/g/{group}", "bob to the team", packetId: 9));
        Assert.Equal(new byte[] { 0, 9 }, (await ReceiveTypeAsync(mqtt, 4)).Body);
        var atOwner = await ownerClient.ReceiveGroupUntilAsync(group, (await ownerClient.GetGroupInfoAsync(group)).Seq);
        Assert.Contains(atOwner, m => m.Text == "bob to the team" && m.From == bob);

        await ownerClient.SendGroupTextAsync(group, "owner to the team");
        while (true)
        {
            var (topic, packetId, push) = MqttPush.FromPublish((await ReceiveTypeAsync(mqtt, 3)).Body);
            await mqtt.SendAsync(RawMqtt.PubAck(packetId));
            Assert.Equal($"im/g/{group}", topic);
            if (push.Body == "owner to the team")
            {
                Assert.Equal((owner, group), (push.From, push.Group));
                break;
            }
        }
    }

    [Fact]
    public async Task APersistentSession_ResumesTheInbox_AfterWhatItAcknowledged_InOrder()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        await using (var first = await RawMqtt.ConnectAsync(_edge.MqttPort, bob, "bob-phone", cleanSession: false))
        {
            await first.SendAsync(RawMqtt.Subscribe(1, ($"im/u/{bob}", 1)));
            await ReceiveTypeAsync(first, 9);
            await annClient.SendTextAsync(bob, "before");
            var (_, packetId, push) = MqttPush.FromPublish((await ReceiveTypeAsync(first, 3)).Body);
            Assert.Equal("before", push.Body);
            await first.SendAsync(RawMqtt.PubAck(packetId));
            await first.SendAsync(RawMqtt.Disconnect);
            await first.ReadUntilClosedAsync();
        }

        await Eventually.TrueAsync(async () => await cluster.Grains.GetGrain<IMqttSessions>(bob).Cursor("bob-phone") == 1);
        for (var i = 1; i <= 5; i++)
        {
            await annClient.SendTextAsync(bob, $"while away {i}");
        }

        await using var again = await RawMqtt.ConnectAsync(_edge.MqttPort, bob, "bob-phone", cleanSession: false);
        await again.SendAsync(RawMqtt.Subscribe(2, ($"im/u/{bob}", 1)));
        await ReceiveTypeAsync(again, 9);
        var resumed = new List<MqttPush>();
        for (var i = 0; i < 5; i++)
        {
            var (_, packetId, push) = MqttPush.FromPublish((await ReceiveTypeAsync(again, 3)).Body);
            resumed.Add(push);
            await again.SendAsync(RawMqtt.PubAck(packetId));
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"while away {i}"), resumed.Select(p => p.Body));
        Assert.Equal(Enumerable.Range(2, 5).Select(i => (long)i), resumed.Select(p => p.Seq));
    }

    [Fact]
    public async Task ACleanSession_ForgetsTheCursor_AndStartsAtTheInboxsEnd()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        await annClient.SendTextAsync(bob, "old news");

        await using var mqtt = await RawMqtt.ConnectAsync(_edge.MqttPort, bob, "bob-phone", cleanSession: true);
        await mqtt.SendAsync(RawMqtt.Subscribe(1, ($"im/u/{bob}", 1)));
        await ReceiveTypeAsync(mqtt, 9);
        await annClient.SendTextAsync(bob, "fresh");

        Assert.Equal("fresh", MqttPush.FromPublish((await ReceiveTypeAsync(mqtt, 3)).Body).Push.Body);
    }

    private static async Task<(int Type, int Flags, byte[] Body)> ReceiveTypeAsync(RawMqtt mqtt, int type)
    {
        var packet = await mqtt.ReceiveAsync();
        Assert.Equal(type, packet?.Type);
        return packet!.Value;
    }
}
