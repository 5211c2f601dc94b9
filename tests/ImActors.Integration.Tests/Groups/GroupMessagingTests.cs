using ImActors.Client;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Groups;

[Collection(ClusterCollection.Name)]
public sealed class GroupMessagingTests(ClusterFixture cluster)
{
    [Fact]
    public async Task GroupSend_PushesOncePerEdge_ToEveryOnlineMember_ExceptTheSendingDevice()
    {
        var group = Clients.NewUser("team");
        var owner = Clients.NewUser("owner");
        var onA = Enumerable.Range(0, 3).Select(i => Clients.NewUser($"a{i}")).ToList();
        var onB = Enumerable.Range(0, 2).Select(i => Clients.NewUser($"b{i}")).ToList();
        await using var sender = await Clients.ConnectAsync(cluster.Edge.Tcp, owner, "phone");
        await using var senderLaptop = await Clients.ConnectAsync(cluster.EdgeB.Tcp, owner, "laptop");
        var members = new List<ImClient>();
        foreach (var user in onA)
        {
            members.Add(await Clients.ConnectAsync(cluster.Edge.Tcp, user));
        }

        foreach (var user in onB)
        {
            members.Add(await Clients.ConnectAsync(cluster.EdgeB.WebSocket, user));
        }

        try
        {
            var info = await sender.CreateGroupAsync(group, [.. onA, .. onB]);
            Assert.Equal(6, info.MemberCount);
            foreach (var member in members.Append(senderLaptop).Append(sender))
            {
                // The creation event reaches every online device, the creator's included.
                var created = Assert.Single(await member.ReceiveGroupUntilAsync(group, 1));
                Assert.Equal(SystemContentTypes.GroupEvent, created.ContentType);
            }

            var (pushesA, pushesB) = (cluster.Edge.Stats.GroupPushes, cluster.EdgeB.Stats.GroupPushes);
            var acks = new List<SendReceipt>();
            for (var i = 0; i < 5; i++)
            {
                acks.Add(await sender.SendGroupTextAsync(group, $"m{i}"));
            }

            Assert.Equal([2L, 3, 4, 5, 6], acks.Select(a => a.Seq));
            foreach (var member in members.Append(senderLaptop))
            {
                var got = await member.ReceiveGroupUntilAsync(group, 6);
                Assert.Equal(["m0", "m1", "m2", "m3", "m4"], got.Select(m => m.Text));
                Assert.All(got, m => Assert.Equal(owner, m.From));
            }

            // One push per edge per message, whether the edge holds three members or two (and the sender's laptop).
            Assert.Equal(5, cluster.Edge.Stats.GroupPushes - pushesA);
            Assert.Equal(5, cluster.EdgeB.Stats.GroupPushes - pushesB);
            Assert.True(await sender.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OfflineMember_SyncsTheTimelineFromItsCursor_InOrder_AndSeesUnreadCounts()
    {
        var group = Clients.NewUser("team");
        var (owner, carol) = (Clients.NewUser("owner"), Clients.NewUser("carol"));
        await using var ownerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await ownerClient.CreateGroupAsync(group, [carol]);
        await ownerClient.SendGroupTextAsync(group, "before");

        long carolCursor;
        await using (var carolClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, carol, resumeAfter: 0, resumeGroups: new Dictionary<string, long>()))
        {
            // A device with no group cursor reads from the join: the creation event, then the first message.
            var history = await carolClient.ReceiveGroupUntilAsync(group, 2);
            Assert.Equal([1L, 2], history.Select(m => m.Seq));
            carolCursor = carolClient.GroupSeqs[group];
        }

        for (var i = 0; i < 7; i++)
        {
            await ownerClient.SendGroupTextAsync(group, $"missed {i}");
        }

        var conversations = await cluster.Grains.GetGrain<Grains.Interfaces.Users.IUserGrain>(carol).GetConversations(null, 100);
        var entry = Assert.Single(conversations, c => c.Id == group);
        Assert.Equal(9, entry.LastSeq);
        Assert.Equal(9, entry.Unread);

        await using var back = await Clients.ConnectAsync(
            cluster.Edge.WebSocket, carol, resumeAfter: 0, resumeGroups: new Dictionary<string, long> { [group] = carolCursor });
        var missed = await back.ReceiveGroupUntilAsync(group, 9);
        Assert.Equal(Enumerable.Range(3, 7).Select(i => (long)i), missed.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"missed {i}"), missed.Select(m => m.Text));
    }

    [Fact]
    public async Task ConcurrentSenders_ShareOneTotalOrder_SeenTheSameByEveryMember()
    {
        var group = Clients.NewUser("team");
        var senders = Enumerable.Range(0, 3).Select(i => Clients.NewUser($"s{i}")).ToList();
        var (watcherA, watcherB) = (Clients.NewUser("wa"), Clients.NewUser("wb"));
        await using var owner = await Clients.ConnectAsync(cluster.Edge.Tcp, senders[0]);
        await owner.CreateGroupAsync(group, [.. senders.Skip(1), watcherA, watcherB]);
        await using var a = await Clients.ConnectAsync(cluster.Edge.Tcp, watcherA, resumeAfter: 0, resumeGroups: new Dictionary<string, long>());
        await using var b = await Clients.ConnectAsync(cluster.EdgeB.WebSocket, watcherB, resumeAfter: 0, resumeGroups: new Dictionary<string, long>());
        await using var s1 = await Clients.ConnectAsync(cluster.EdgeB.Tcp, senders[1]);
        await using var s2 = await Clients.ConnectAsync(cluster.Edge.WebSocket, senders[2]);

        const int each = 15;
        var sends = new[] { owner, s1, s2 }.Select((client, n) => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                await client.SendGroupTextAsync(group, $"{n}:{i}");
            }
        }));
        await Task.WhenAll(sends);

        var last = 1 + 3 * each;
        var seenA = await a.ReceiveGroupUntilAsync(group, last);
        var seenB = await b.ReceiveGroupUntilAsync(group, last);
        Assert.Equal(Enumerable.Range(1, last).Select(i => (long)i), seenA.Select(m => m.Seq));
        Assert.Equal(seenA.Select(m => m.Id), seenB.Select(m => m.Id));
        // Each sender's own messages keep the order it sent them in.
        for (var n = 0; n < 3; n++)
        {
            Assert.Equal(Enumerable.Range(0, each).Select(i => $"{n}:{i}"), seenA.Where(m => m.Text?.StartsWith($"{n}:") == true).Select(m => m.Text));
        }
    }

    [Fact]
    public async Task NonMember_CannotSendToOrReadAGroup()
    {
        var group = Clients.NewUser("team");
        var (owner, outsider) = (Clients.NewUser("owner"), Clients.NewUser("outsider"));
        await using var ownerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await ownerClient.CreateGroupAsync(group, []);
        await using var outsiderClient = await Clients.ConnectAsync(cluster.Edge.Tcp, outsider);

        var send = await Assert.ThrowsAsync<ImClientException>(() => outsiderClient.SendGroupTextAsync(group, "let me in"));
        Assert.Equal(ErrorCodes.NotMember, send.Code);

        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(outsider);
        await raw.SendAsync(FrameKind.Sync, new SyncFrame { Group = group, After = 0, Limit = 10 });
        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())!.Value.Body);
        Assert.Equal(ErrorCodes.NotMember, error.Code);

        await raw.SendAsync(FrameKind.Sync, new SyncFrame { Group = Clients.NewUser("nogroup"), After = 0, Limit = 10 });
        Assert.Equal(ErrorCodes.NoSuchGroup, Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())!.Value.Body).Code);
    }

    [Fact]
    public async Task RemovedMember_StopsReceivingAtOnce_AndCanNoLongerSend()
    {
        var group = Clients.NewUser("team");
        var (owner, dave, erin) = (Clients.NewUser("owner"), Clients.NewUser("dave"), Clients.NewUser("erin"));
        await using var ownerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await using var daveClient = await Clients.ConnectAsync(cluster.Edge.Tcp, dave);
        await using var erinClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, erin);
        await ownerClient.CreateGroupAsync(group, [dave, erin]);
        await ownerClient.SendGroupTextAsync(group, "hello both");
        await daveClient.ReceiveGroupUntilAsync(group, 2);
        await erinClient.ReceiveGroupUntilAsync(group, 2);

        var removal = await ownerClient.RemoveMembersAsync(group, [dave]);
        Assert.Equal(1, removal.Changed);
        // Dave hears of his removal, then nothing more.
        var removed = Assert.Single(await daveClient.ReceiveGroupUntilAsync(group, removal.Seq));
        Assert.Contains("\"removed\"", removed.Text ?? System.Text.Encoding.UTF8.GetString(removed.Body));
        await ownerClient.SendGroupTextAsync(group, "only erin");
        Assert.Equal("only erin", (await erinClient.ReceiveGroupUntilAsync(group, removal.Seq + 1))[^1].Text);
        Assert.True(await daveClient.StaysQuietAsync(TimeSpan.FromMilliseconds(500)));

        var send = await Assert.ThrowsAsync<ImClientException>(() => daveClient.SendGroupTextAsync(group, "still here?"));
        Assert.Equal(ErrorCodes.NotMember, send.Code);
        Assert.DoesNotContain(await daveClient.GetConversationsAsync(), c => c.Id == group);
    }

    [Fact]
    public async Task BusinessService_SendsToAGroup_AsTheSystemActor()
    {
        var group = Clients.NewUser("team");
        var owner = Clients.NewUser("owner");
        await using var ownerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await ownerClient.CreateGroupAsync(group, []);

        var grain = cluster.Grains.GetGrain<IGroupGrain>(group);
        var result = await grain.Send(new GroupSendRequest(Actor.System, null, "sys-1", "text/plain", "maintenance at noon"u8.ToArray()));
        var again = await grain.Send(new GroupSendRequest(Actor.System, null, "sys-1", "text/plain", "maintenance at noon"u8.ToArray()));

        Assert.Equal(result.MessageId, again.MessageId);
        Assert.True(again.Duplicate);
        var got = (await ownerClient.ReceiveGroupUntilAsync(group, result.Seq))[^1];
        Assert.Equal("maintenance at noon", got.Text);
        Assert.Equal("", got.From);
    }
}
