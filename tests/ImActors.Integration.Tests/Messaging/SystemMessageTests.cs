using System.Net;
using System.Text;
using ImActors.Client;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Messaging;

/// <summary>
/// 1:1 messages from the system (a business service, no sending user): the recipient's inbox only, a conversation of
/// type "system" with its own unread count and read mark, no receipts, no recall and no typing toward it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SystemMessageTests(ClusterFixture cluster)
{
    private static SystemSendRequest Notice(string cmid, string text) => new(cmid, ContentTypes.Text, Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task OverTheGrain_ReachesAConnectedClient_AndAnOfflineOneBySync()
    {
        var (bob, carol) = (Clients.NewUser("bob"), Clients.NewUser("carol"));
        await using var bobClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob);

        var toBob = await cluster.Grains.GetGrain<IUserGrain>(bob).SendFromSystem(Notice("welcome-1", "welcome aboard"));
        var toCarol = await cluster.Grains.GetGrain<IUserGrain>(carol).SendFromSystem(Notice("welcome-1", "welcome aboard"));

        var pushed = Assert.Single(await bobClient.ReceiveAsync(1));
        Assert.Equal(("", bob, "welcome aboard", toBob.MessageId), (pushed.From, pushed.To, pushed.Text, pushed.Id));
        Assert.True(pushed.IsFromSystem);
        Assert.Equal(ConversationRef.System, pushed.ConversationFor(bob));
        // No sender's copy: the one seq is the recipient's, and nothing was stored anywhere else.
        Assert.Equal((1L, 1L, 1L), (toBob.Seq, toBob.RecipientSeq, pushed.Seq));
        Assert.False(toBob.Duplicate);

        await using var carolClient = await Clients.ConnectAsync(cluster.Edge.WebSocket, carol, resumeAfter: 0);
        var synced = Assert.Single(await carolClient.ReceiveAsync(1));
        Assert.Equal(("", carol, "welcome aboard", toCarol.MessageId, 1L), (synced.From, synced.To, synced.Text, synced.Id, synced.Seq));
    }

    [Fact]
    public async Task OverHttp_ReachesAConnectedClient_AndAnOfflineOneBySync()
    {
        using var admin = new AdminClient(cluster.Edge);
        var (bob, carol) = (Clients.NewUser("bob"), Clients.NewUser("carol"));
        await using var bobClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob);

        var toBob = await admin.PostAsync("/api/v1/messages", new { to = bob, cmid = "order-7", text = "your order shipped" });
        var toCarol = await admin.PostAsync("/api/v1/messages", new { to = carol, cmid = "order-8", text = "your refund is on its way" });

        Assert.True(toBob.Status == HttpStatusCode.OK, toBob.Text);
        var pushed = Assert.Single(await bobClient.ReceiveAsync(1));
        Assert.Equal(("", "your order shipped", toBob.Str("id")), (pushed.From, pushed.Text, pushed.Id));
        Assert.Equal(pushed.Seq, toBob.Json.GetProperty("seq").GetInt64());
        Assert.Equal(pushed.Seq, toBob.Json.GetProperty("peerSeq").GetInt64());

        Assert.True(toCarol.Status == HttpStatusCode.OK, toCarol.Text);
        await using var carolClient = await Clients.ConnectAsync(cluster.Edge.Tcp, carol, resumeAfter: 0);
        var synced = Assert.Single(await carolClient.ReceiveAsync(1));
        Assert.Equal(("", "your refund is on its way"), (synced.From, synced.Text));
    }

    [Fact]
    public async Task ARetryWithTheSameCmid_StoresOnce_AndReturnsTheFirstAnswer()
    {
        using var admin = new AdminClient(cluster.Edge);
        var bob = Clients.NewUser("bob");
        var grain = cluster.Grains.GetGrain<IUserGrain>(bob);
        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);

        var first = await grain.SendFromSystem(Notice("invoice-1", "invoice ready"));
        var again = await grain.SendFromSystem(Notice("invoice-1", "invoice ready"));
        var overHttp = await admin.PostAsync("/api/v1/messages", new { to = bob, cmid = "invoice-1", text = "invoice ready" });

        Assert.Equal((first.MessageId, first.Seq, first.Timestamp, true), (again.MessageId, again.Seq, again.Timestamp, again.Duplicate));
        Assert.Equal((first.MessageId, first.Seq, true), (overHttp.Str("id"), overHttp.Json.GetProperty("seq").GetInt64(),
            overHttp.Json.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(1, await grain.GetInboxSeq());
        Assert.Single(await bobClient.ReceiveAsync(1));
        Assert.True(await bobClient.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));

        // A user's cmid is not the system's: the same id from a user is a message of its own.
        var fromUser = await grain.Send(new SendRequest(Clients.NewUser("ann"), "", "invoice-1", bob, ContentTypes.Text, "hi"u8.ToArray()));
        Assert.False(fromUser.Duplicate);
    }

    [Fact]
    public async Task TheConversationList_ShowsTheSystemConversation_WithItsUnreadCount()
    {
        var (bob, ann) = (Clients.NewUser("bob"), Clients.NewUser("ann"));
        var grain = cluster.Grains.GetGrain<IUserGrain>(bob);
        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        await grain.SendFromSystem(Notice("n1", "one"));
        await annClient.SendTextAsync(bob, "from ann");
        var last = await grain.SendFromSystem(Notice("n2", "two"));

        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);
        var list = await bobClient.GetConversationsAsync();

        var system = Assert.Single(list, c => c.IsSystem);
        Assert.Equal(("system", "", last.Seq, 0L, 2L, 0L), (system.Type, system.Id, system.LastSeq, system.ReadSeq, system.Unread, system.PeerReadSeq));
        Assert.Equal(ConversationRef.System, system.Conversation);
        var withAnn = Assert.Single(list, c => c.Id == ann);
        Assert.Equal(("user", 1L), (withAnn.Type, withAnn.Unread));
        // Paged past: the system conversation's cursor is "s:", between the groups and the users.
        var page = await cluster.Grains.GetGrain<IUserGrain>(bob).GetConversations("s:", 10);
        Assert.Equal([ann], page.Select(c => c.Id));
    }

    [Fact]
    public async Task AReadMark_OnTheSystemConversation_MovesTheCursor_TellsTheOtherDevices_AndSendsNoReceipt()
    {
        var (bob, ann) = (Clients.NewUser("bob"), Clients.NewUser("ann"));
        var grain = cluster.Grains.GetGrain<IUserGrain>(bob);
        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        await using var phone = await Clients.ConnectAsync(cluster.Edge.Tcp, bob, "phone");
        await using var laptop = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob, "laptop");
        var first = await grain.SendFromSystem(Notice("n1", "one"));
        await annClient.SendTextAsync(bob, "from ann");
        await grain.SendFromSystem(Notice("n2", "two"));
        await phone.ReceiveAsync(3);

        var receipts = 0;
        annClient.ReceiptReceived += _ => Interlocked.Increment(ref receipts);
        phone.ReceiptReceived += _ => Interlocked.Increment(ref receipts);
        laptop.ReceiptReceived += _ => Interlocked.Increment(ref receipts);
        var onLaptop = Clients.NextEventAsync<ReadStateUpdate>(h => laptop.ReadStateChanged += h);
        var read = await phone.MarkReadAsync(ConversationRef.System, first.Seq);

        Assert.Equal((first.Seq, 1L), (read.ReadSeq, read.Unread));
        Assert.Equal(new ReadStateUpdate("", null, first.Seq, 1L), await onLaptop);
        var system = Assert.Single(await laptop.GetConversationsAsync(), c => c.IsSystem);
        Assert.Equal((first.Seq, 1L), (system.ReadSeq, system.Unread));
        await Task.Delay(300);
        Assert.Equal(0, Volatile.Read(ref receipts));

        // A seq of another conversation is not one of the system's.
        var annSeq = (await grain.Sync(0, 10, 65536)).Messages.Single(m => m.From == ann).Seq;
        var refused = await Assert.ThrowsAsync<ImClientException>(() => phone.MarkReadAsync(ConversationRef.System, annSeq));
        Assert.Equal(ErrorCodes.NotFound, refused.Code);
    }

    [Fact]
    public async Task RecallAndTyping_TowardTheSystem_AreForbidden_AndNobodySendsToIt()
    {
        var bob = Clients.NewUser("bob");
        var grain = cluster.Grains.GetGrain<IUserGrain>(bob);
        var notice = await grain.SendFromSystem(Notice("n1", "one"));
        await using var client = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);

        var recall = await Assert.ThrowsAsync<ImClientException>(() => client.RecallAsync(ConversationRef.System, notice.Seq));
        Assert.Equal(ErrorCodes.Forbidden, recall.Code);
        var byService = await Assert.ThrowsAsync<RefusedException>(() => grain.Recall("", notice.Seq, ""));
        Assert.Equal(Refusal.Forbidden, byService.Reason);

        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(bob, "raw");
        await raw.SendAsync(FrameKind.Typing, new TypingFrame { Peer = "" });
        var typing = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal(ErrorCodes.Forbidden, typing.Code);

        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = "to-system", To = "", ContentType = ContentTypes.Text, Body = [1] });
        var send = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal((ErrorCodes.InvalidRequest, "to-system"), (send.Code, send.ClientMessageId));
        Assert.Equal(1, await grain.GetInboxSeq());
    }

    [Fact]
    public async Task BadInput_IsRefusedByTheGrain_AsAClientWouldBe()
    {
        var grain = cluster.Grains.GetGrain<IUserGrain>(Clients.NewUser("bob"));

        var badCmid = await Assert.ThrowsAsync<RefusedException>(() => grain.SendFromSystem(Notice("a b", "x")));
        var reserved = await Assert.ThrowsAsync<RefusedException>(() =>
            grain.SendFromSystem(new SystemSendRequest("c1", SystemContentTypes.Tombstone, [])));
        var badUser = await Assert.ThrowsAsync<RefusedException>(() =>
            cluster.Grains.GetGrain<IUserGrain>("b{o}b").SendFromSystem(Notice("c1", "x")));

        Assert.All([badCmid, reserved, badUser], e => Assert.Equal(Refusal.InvalidRequest, e.Reason));
        Assert.Equal(0, await grain.GetInboxSeq());
    }
}
