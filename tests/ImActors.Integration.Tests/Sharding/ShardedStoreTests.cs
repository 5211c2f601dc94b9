using System.Text;
using System.Text.Json;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Grains.Store;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Sharding;

/// <summary>
/// The system on a real 3-master Redis Cluster: what a sharded store changes (a 1:1 send as two store steps on two
/// masters, a group whose members' keys are on every master, outbox lists per slot) works end to end. A representative
/// subset rather than the whole suite run twice: the suite's budget on CI (tests/README.md).
/// </summary>
[Collection(ShardedStoreCollection.Name)]
[Trait("Tier", "Slow")]
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class ShardedStoreTests(ShardedStoreFixture shards)
{
    [Fact]
    public void TheFixture_IsThreeMasters_EachWithAReplica()
    {
        Assert.Equal(3, shards.Masters().Count);
        Assert.Equal(3, shards.Store.GetServers().Count(s => s.IsConnected && s.IsReplica));
    }

    [Fact]
    public void ASilo_RefusesToStartOnTheCluster_WithoutStoreSharded_NamingTheSetting()
    {
        var problem = StoreShapeCheck.Problem(new StoreShapeOptions { Sharded = false }, shards.Store);

        Assert.NotNull(problem);
        Assert.Contains("Store:Sharded=true", problem);
        Assert.Null(StoreShapeCheck.Problem(new StoreShapeOptions { Sharded = true }, shards.Store));
    }

    [Fact]
    public async Task OneToOne_BetweenUsersOnDifferentShards_IsAckedDeliveredAndCopiedToTheSender_AndARetryStoresNothing()
    {
        var users = shards.OneUserPerShard("u");
        var (alice, bob) = (users[0], users[1]);
        Assert.NotEqual(shards.ShardOf($"im:{{{alice}}}:seq"), shards.ShardOf($"im:{{{bob}}}:seq"));
        await using var bobClient = await Clients.ConnectAsync(shards.EdgeB.Tcp, bob);
        await using var aliceClient = await Clients.ConnectAsync(shards.Edge.Tcp, alice);

        var acks = new List<ImActors.Client.SendReceipt>();
        for (var i = 0; i < 3; i++)
        {
            acks.Add(await aliceClient.SendTextAsync(bob, $"m{i}", $"c{i}"));
        }

        Assert.Equal([1L, 2, 3], acks.Select(a => a.PeerSeq));
        Assert.Equal([1L, 2, 3], acks.Select(a => a.Seq));
        Assert.Equal(["m0", "m1", "m2"], (await bobClient.ReceiveAsync(3)).Select(m => m.Text));

        var retry = await shards.Grains.GetGrain<IUserGrain>(bob).Send(new SendRequest(alice, "", "c1", bob, "text/plain", Encoding.UTF8.GetBytes("m1")));
        Assert.True(retry.Duplicate);
        Assert.Equal(acks[1].MessageId, retry.MessageId);

        // The sender's copies are in the sender's inbox, on the other master: a second device reads them from the start.
        await using var aliceLaptop = await Clients.ConnectAsync(shards.Edge.WebSocket, alice, resumeAfter: 0);
        var copies = await aliceLaptop.ReceiveAsync(3);
        Assert.Equal(["m0", "m1", "m2"], copies.Select(m => m.Text));
        Assert.All(copies, m => Assert.Equal(bob, m.To));
        Assert.True(await aliceLaptop.StaysQuietAsync(TimeSpan.FromMilliseconds(300)), "the retry stored no second copy");
    }

    [Fact]
    public async Task Group_WithAMemberOnEveryShard_DeliversToEveryone_AndAnOfflineMemberSyncsTheTimeline()
    {
        var members = shards.OneUserPerShard("m");
        var offline = shards.OneUserPerShard("off")[2];
        var group = Clients.NewUser("team");
        await using var owner = await Clients.ConnectAsync(shards.Edge.Tcp, members[0]);
        await using var second = await Clients.ConnectAsync(shards.EdgeB.Tcp, members[1]);
        await using var third = await Clients.ConnectAsync(shards.EdgeB.WebSocket, members[2]);
        await owner.CreateGroupAsync(group, [members[1], members[2], offline]);

        for (var i = 0; i < 4; i++)
        {
            await owner.SendGroupTextAsync(group, $"g{i}");
        }

        foreach (var member in new[] { second, third })
        {
            var got = await member.ReceiveGroupUntilAsync(group, 5);
            Assert.Equal(["g0", "g1", "g2", "g3"], got.Where(m => m.Text is not null && m.Seq > 1).Select(m => m.Text));
        }

        // Every member's group set (a key in that member's slot) was written by the group's script on another master.
        foreach (var user in members.Append(offline))
        {
            Assert.True(await shards.Store.GetDatabase().SetContainsAsync($"im:{{{user}}}:groups", group), $"{user}'s groups");
        }

        await using var late = await Clients.ConnectAsync(shards.Edge.Tcp, offline, resumeAfter: 0, resumeGroups: new Dictionary<string, long>());
        var history = await late.ReceiveGroupUntilAsync(group, 5);
        Assert.Equal([1L, 2, 3, 4, 5], history.Select(m => m.Seq));
    }

    [Fact]
    public async Task OfflineRecipient_OnAnotherShard_SyncsWhatIsKept_InOrder_AndIsToldTheRestAgedOut()
    {
        var users = shards.OneUserPerShard("r");
        var (sender, reader) = (users[2], users[0]);
        await using (var client = await Clients.ConnectAsync(shards.Edge.Tcp, sender))
        {
            for (var i = 1; i <= 30; i++)
            {
                await client.SendTextAsync(reader, $"m{i}", $"c{i}");
            }
        }

        await using var back = await Clients.ConnectAsync(shards.EdgeB.Tcp, reader, resumeAfter: 0);
        var received = await back.ReceiveAsync(ShardedStoreFixture.KeptEntries);
        Assert.Equal(Enumerable.Range(11, ShardedStoreFixture.KeptEntries).Select(i => $"m{i}"), received.Select(m => m.Text));
        Assert.Equal(10, back.TrimmedTo());
        Assert.Equal(30, back.LastSeq);
    }

    [Fact]
    public async Task Sends_ToUsersOnEveryShard_EachProduceExactlyOneEvent()
    {
        var recipients = shards.OneUserPerShard("e");
        var sender = Clients.NewUser("s");
        await using var client = await Clients.ConnectAsync(shards.Edge.Tcp, sender);
        var acks = new Dictionary<string, string>();
        foreach (var recipient in recipients)
        {
            acks[recipient] = (await client.SendTextAsync(recipient, "hi", "e-1")).MessageId;
        }

        foreach (var recipient in recipients)
        {
            bool Stored(WebhookReceiver.Received e) => e.Type == EventTypes.MessageStored && Str(e.Event, "messageId") == acks[recipient];
            await Eventually.TrueAsync(() => shards.Receiver.TakenAbout(recipient).Any(Stored));
        }

        // Longer than a redelivery would take: an event handed out twice would be at the receiver by then.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        foreach (var recipient in recipients)
        {
            Assert.Single(shards.Receiver.TakenAbout(recipient), e => e.Type == EventTypes.MessageStored);
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
