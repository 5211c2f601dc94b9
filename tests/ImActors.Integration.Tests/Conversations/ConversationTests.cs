using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Conversations;

/// <summary>Conversation lists, read receipts and typing notices.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConversationTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ReadMark_OnOneDevice_UpdatesTheOtherDevice_AndSendsThePeerAReceipt()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var a = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        await using var phone = await Clients.ConnectAsync(cluster.Edge.Tcp, bob, "phone");
        await using var laptop = await Clients.ConnectAsync(cluster.EdgeB.WebSocket, bob, "laptop");
        var acks = new List<SendReceipt>();
        for (var i = 0; i < 3; i++)
        {
            acks.Add(await a.SendTextAsync(bob, $"m{i}"));
        }

        var onPhone = await phone.ReceiveAsync(3);
        await laptop.ReceiveAsync(3);
        var before = Assert.Single(await laptop.GetConversationsAsync());
        Assert.Equal((alice, 3L, 3L), (before.Id, before.LastSeq, before.Unread));

        var laptopUpdate = Clients.NextEventAsync<ReadStateUpdate>(h => laptop.ReadStateChanged += h);
        var receipt = Clients.NextEventAsync<ReadReceipt>(h => a.ReceiptReceived += h);
        var read = await phone.MarkReadAsync(ConversationRef.With(alice), onPhone[1].Seq);

        Assert.Equal((onPhone[1].Seq, 1L), (read.ReadSeq, read.Unread));
        var update = await laptopUpdate;
        Assert.Equal((alice, onPhone[1].Seq, 1L), (update.Peer, update.ReadSeq, update.Unread));
        // The receipt names alice's own seq of the message bob read up to.
        var got = await receipt;
        Assert.Equal((bob, acks[1].Seq), (got.Peer, got.Seq));
        var aliceView = Assert.Single(await a.GetConversationsAsync());
        Assert.Equal((bob, acks[1].Seq, 0L), (aliceView.Id, aliceView.PeerReadSeq, aliceView.Unread));

        // Cursors never move back.
        var again = await laptop.MarkReadAsync(ConversationRef.With(alice), onPhone[0].Seq);
        Assert.Equal(onPhone[1].Seq, again.ReadSeq);
        var refused = await Assert.ThrowsAsync<ImClientException>(() => laptop.MarkReadAsync(ConversationRef.With(Clients.NewUser("x")), 1));
        Assert.Equal(ErrorCodes.NotFound, refused.Code);
    }

    [Fact]
    public async Task ConversationList_CoversPeersAndGroups_WithUnreadCounts_AndGroupReadCounts()
    {
        var group = Clients.NewUser("team");
        var (owner, bob, carol) = (Clients.NewUser("owner"), Clients.NewUser("bob"), Clients.NewUser("carol"));
        await using var o = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await using var b = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob);
        await o.CreateGroupAsync(group, [bob, carol]);
        var message = await o.SendGroupTextAsync(group, "read me");
        await o.SendTextAsync(bob, "direct");
        await b.ReceiveGroupUntilAsync(group, message.Seq);

        var list = await b.GetConversationsAsync();
        Assert.Equal([("group", group), ("user", owner)], list.Select(c => (c.Type, c.Id)));
        Assert.Equal(2, list[0].Unread);
        Assert.Equal(1, list[1].Unread);

        Assert.Equal((1L, 3L), await o.GetReadCountAsync(group, message.Seq));
        var read = await b.MarkReadAsync(ConversationRef.InGroup(group), message.Seq);
        Assert.Equal((message.Seq, 0L), (read.ReadSeq, read.Unread));
        Assert.Equal((2L, 3L), await o.GetReadCountAsync(group, message.Seq));
        Assert.Equal(0, (await b.GetConversationsAsync()).Single(c => c.Id == group).Unread);
    }

    [Fact]
    public async Task Typing_ReachesOnlineParticipants_IsNeverStored_AndIsRateLimited()
    {
        var group = Clients.NewUser("team");
        var (alice, bob, carol) = (Clients.NewUser("alice"), Clients.NewUser("bob"), Clients.NewUser("carol"));
        await using var a = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        await using var b = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob);
        await using var c = await Clients.ConnectAsync(cluster.Edge.WebSocket, carol);
        await a.CreateGroupAsync(group, [bob, carol]);
        await b.ReceiveGroupUntilAsync(group, 1);
        await c.ReceiveGroupUntilAsync(group, 1);
        var bobSeq = await cluster.Grains.GetGrain<Grains.Interfaces.Users.IUserGrain>(bob).GetInboxSeq();

        var direct = Clients.NextEventAsync<TypingNotice>(h => b.TypingReceived += h);
        await a.SendTypingAsync(ConversationRef.With(bob));
        Assert.Equal(new TypingNotice(alice, null), await direct);

        var inGroupB = Clients.NextEventAsync<TypingNotice>(h => b.TypingReceived += h);
        var inGroupC = Clients.NextEventAsync<TypingNotice>(h => c.TypingReceived += h);
        await a.SendTypingAsync(ConversationRef.InGroup(group));
        Assert.Equal(new TypingNotice(alice, group), await inGroupB);
        Assert.Equal(new TypingNotice(alice, group), await inGroupC);

        // Nothing stored: neither the inbox nor the group timeline moved.
        Assert.Equal(bobSeq, await cluster.Grains.GetGrain<Grains.Interfaces.Users.IUserGrain>(bob).GetInboxSeq());
        Assert.Equal(1, (await a.GetGroupInfoAsync(group)).Seq);
        Assert.True(await b.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));

        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(Clients.NewUser("flood"));
        for (var i = 0; i < 8; i++)
        {
            await raw.SendAsync(FrameKind.Typing, new TypingFrame { Peer = bob });
        }

        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())!.Value.Body);
        Assert.Equal(ErrorCodes.RateLimited, error.Code);
    }
}
