using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Messaging;

[Collection(ClusterCollection.Name)]
public sealed class DirectMessagingTests(ClusterFixture cluster)
{
    private Uri Server(string transport) => transport == "ws" ? cluster.Edge.WebSocket : cluster.Edge.Tcp;

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public async Task OnlineRecipient_GetsTheMessageAtOnce_AndTheSenderADurableAck(string transport)
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var bobClient = await Clients.ConnectAsync(Server(transport), bob);
        await using var aliceClient = await Clients.ConnectAsync(Server(transport), alice);

        var ack = await aliceClient.SendTextAsync(bob, "hello");
        var received = (await bobClient.ReceiveAsync(1)).Single();

        Assert.Equal("hello", received.Text);
        Assert.Equal(alice, received.From);
        Assert.Equal(bob, received.To);
        Assert.Equal(1, received.Seq);
        Assert.Equal(ack.MessageId, received.Id);
        Assert.Equal(1, ack.Seq);
        Assert.False(ack.Duplicate);
        // Durable: the message is in both inboxes in the store, whatever happens to the grains now.
        Assert.Equal(1, await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq());
        Assert.Equal(1, await cluster.Grains.GetGrain<IUserGrain>(alice).GetInboxSeq());
    }

    [Fact]
    public async Task TheAck_GivesTheSendersSeq_AndTheRecipientsAsPeerSeq()
    {
        var (alice, bob, carol) = (Clients.NewUser("alice"), Clients.NewUser("bob"), Clients.NewUser("carol"));
        await using var carolClient = await Clients.ConnectAsync(cluster.Edge.Tcp, carol);
        await carolClient.SendTextAsync(bob, "one");
        await carolClient.SendTextAsync(bob, "two");
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);

        var ack = await aliceClient.SendTextAsync(bob, "three");

        Assert.Equal((1L, 3L), (ack.Seq, ack.PeerSeq));
        var again = await aliceClient.SendTextAsync(bob, "three", ack.ClientMessageId);
        Assert.Equal((true, 1L, 3L), (again.Duplicate, again.Seq, again.PeerSeq));
    }

    [Fact]
    public async Task AUserGrainThatReactivates_StillKnowsTheDevices_AndPushesToThem()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var bobPhone = await Clients.ConnectAsync(cluster.Edge.Tcp, bob, "phone");
        await using var bobLaptop = await Clients.ConnectAsync(cluster.EdgeB.WebSocket, bob, "laptop");
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);

        // Every activation idle for a second goes, Bob's included: the sessions are read back from the store.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromSeconds(1));

        var sessions = await cluster.Grains.GetGrain<IUserGrain>(bob).GetSessions();
        Assert.Equal(["laptop", "phone"], sessions.Select(s => s.Device).Order());
        await aliceClient.SendTextAsync(bob, "still there?");
        Assert.Equal("still there?", (await bobPhone.ReceiveAsync(1)).Single().Text);
        Assert.Equal("still there?", (await bobLaptop.ReceiveAsync(1)).Single().Text);

        // A disconnect removes the device from the stored sessions too.
        await bobLaptop.DisposeAsync();
        await Eventually.TrueAsync(async () => (await cluster.Grains.GetGrain<IUserGrain>(bob).GetSessions()).Count == 1);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromSeconds(1));
        Assert.Equal(["phone"], (await cluster.Grains.GetGrain<IUserGrain>(bob).GetSessions()).Select(s => s.Device));
    }

    [Fact]
    public async Task EveryDeviceOfBothUsers_GetsTheMessage_ExceptTheSendingDevice()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var bobPhone = await Clients.ConnectAsync(cluster.Edge.Tcp, bob, "phone");
        await using var bobLaptop = await Clients.ConnectAsync(cluster.StrictEdge.WebSocket, bob, "laptop");
        await using var alicePhone = await Clients.ConnectAsync(cluster.Edge.Tcp, alice, "phone");
        await using var aliceLaptop = await Clients.ConnectAsync(cluster.StrictEdge.Tcp, alice, "laptop");

        var ack = await alicePhone.SendTextAsync(bob, "to every device");

        Assert.Equal("to every device", (await bobPhone.ReceiveAsync(1)).Single().Text);
        Assert.Equal("to every device", (await bobLaptop.ReceiveAsync(1)).Single().Text);
        var own = (await aliceLaptop.ReceiveAsync(1)).Single();
        Assert.Equal(ack.Seq, own.Seq);
        Assert.Equal(bob, own.To);
        Assert.True(await alicePhone.StaysQuietAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task OfflineRecipient_GetsEveryMissedMessageInOrder_PagedAndGapFree()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        long seenByBob;
        await using (var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob))
        {
            await aliceClient.SendTextAsync(bob, "before");
            seenByBob = (await bobClient.ReceiveAsync(1)).Single().Seq;
        }

        // More than two sync pages (100 each) while bob is away.
        for (var i = 0; i < 230; i++)
        {
            await aliceClient.SendTextAsync(bob, $"missed {i}");
        }

        await using var bobAgain = await Clients.ConnectAsync(cluster.Edge.WebSocket, bob, resumeAfter: seenByBob);
        var missed = await bobAgain.ReceiveAsync(230);

        Assert.Equal(Enumerable.Range(2, 230).Select(i => (long)i), missed.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(0, 230).Select(i => $"missed {i}"), missed.Select(m => m.Text));
        Assert.True(await bobAgain.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task ResendingTheSameClientMessageId_ReturnsTheFirstAck_AndStoresNothingNew()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);

        var first = await aliceClient.SendTextAsync(bob, "once", clientMessageId: "retry-1");
        var again = await aliceClient.SendTextAsync(bob, "once", clientMessageId: "retry-1");
        await using var aliceOtherDevice = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        var third = await aliceOtherDevice.SendTextAsync(bob, "once", clientMessageId: "retry-1");

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.True(third.Duplicate);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(first.Seq, third.Seq);
        Assert.Equal(first.Timestamp, again.Timestamp);
        Assert.Single(await bobClient.ReceiveAsync(1));
        Assert.True(await bobClient.StaysQuietAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(1, await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq());
    }

    [Fact]
    public async Task SendingToOneself_StoresOneCopy_AndReachesOnlyTheOtherDevices()
    {
        var alice = Clients.NewUser("alice");
        await using var phone = await Clients.ConnectAsync(cluster.Edge.Tcp, alice, "phone");
        await using var laptop = await Clients.ConnectAsync(cluster.Edge.Tcp, alice, "laptop");

        var ack = await phone.SendTextAsync(alice, "note to self");

        var got = (await laptop.ReceiveAsync(1)).Single();
        Assert.Equal(ack.Seq, got.Seq);
        Assert.Equal(1, await cluster.Grains.GetGrain<IUserGrain>(alice).GetInboxSeq());
        Assert.True(await phone.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task TwoUsersSendingToEachOtherAtOnce_NeitherStalls_AndBothInboxesStayGapFree()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.WebSocket, bob);

        var fromAlice = Task.Run(async () => { for (var i = 0; i < 50; i++) await aliceClient.SendTextAsync(bob, $"a{i}"); });
        var fromBob = Task.Run(async () => { for (var i = 0; i < 50; i++) await bobClient.SendTextAsync(alice, $"b{i}"); });
        await Task.WhenAll(fromAlice, fromBob).WaitAsync(TimeSpan.FromSeconds(30));

        // Each inbox holds 100 entries (50 received, 50 own); each device saw the 50 it did not send, in seq order.
        var bobGot = await bobClient.ReceiveAsync(50);
        var aliceGot = await aliceClient.ReceiveAsync(50);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"a{i}"), bobGot.Select(m => m.Text));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"b{i}"), aliceGot.Select(m => m.Text));
        Assert.True(bobGot.Zip(bobGot.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.Equal(100, await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq());
        Assert.Equal(100, await cluster.Grains.GetGrain<IUserGrain>(alice).GetInboxSeq());
    }

    [Fact]
    public async Task ASecondConnectionOfTheSameDevice_ReplacesTheFirst()
    {
        var bob = Clients.NewUser("bob");
        await using var first = await Clients.ConnectAsync(cluster.Edge.Tcp, bob, "phone");
        await using var second = await Clients.ConnectAsync(cluster.StrictEdge.Tcp, bob, "phone");

        var stopped = await Assert.ThrowsAsync<ImActors.Client.ImClientException>(() => first.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ImActors.Protocol.ErrorCodes.Replaced, stopped.Code);
        var sessions = await cluster.Grains.GetGrain<IUserGrain>(bob).GetSessions();
        Assert.Equal("edge-strict", Assert.Single(sessions).EdgeId);
    }

    [Fact]
    public async Task SyncOfManyLargeMessages_ComesInPagesThatFitTheFrameLimit()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        for (var i = 0; i < 5; i++)
        {
            await aliceClient.SendAsync(bob, "application/octet-stream", new byte[60_000]);
        }

        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob, resumeAfter: 0);
        var got = await bobClient.ReceiveAsync(5);

        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, got.Select(m => m.Seq));
        Assert.All(got, m => Assert.Equal(60_000, m.Body.Length));
    }
}
