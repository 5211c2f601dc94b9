using System.Net;
using System.Text.Json;
using ImActors.Client;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using MessagePack;
using Orleans.Runtime;

namespace ImActors.Integration.Tests.Users;

/// <summary>
/// A user's block list (decision 112): the blocked user's 1:1 sends are refused with 450 and stored nowhere, their typing
/// notices and receipts are dropped, groups are untouched, and the list is bounded and survives the grain.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BlockTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ABlockedUsersSend_IsRefusedWith450_StoresNothing_AndPassesAgainOnceUnblocked()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        await using var bobClient = await Clients.ConnectAsync(cluster.EdgeB.WebSocket, bob);

        Assert.True(await annClient.BlockAsync(bob));
        Assert.False(await annClient.BlockAsync(bob));
        var refused = await Assert.ThrowsAsync<ImClientException>(() => bobClient.SendTextAsync(ann, "hello?"));

        Assert.Equal(ErrorCodes.Blocked, refused.Code);
        Assert.Equal(0, await cluster.Grains.GetGrain<IUserGrain>(ann).GetInboxSeq());
        Assert.Equal(0, await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq());
        Assert.True(await annClient.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal([bob], await annClient.GetBlockedAsync());

        // One way only: the blocker may still write to the blocked user.
        await annClient.SendTextAsync(bob, "I can still write to you");
        Assert.Equal("I can still write to you", (await bobClient.ReceiveAsync(1))[0].Text);

        Assert.True(await annClient.UnblockAsync(bob));
        Assert.False(await annClient.UnblockAsync(bob));
        await bobClient.SendTextAsync(ann, "hello again");
        Assert.Equal("hello again", (await annClient.ReceiveAsync(1))[0].Text);
        Assert.Empty(await annClient.GetBlockedAsync());
    }

    [Fact]
    public async Task TheRefusal_IsAnErrorFrameCarryingTheCmid_NotRetryable()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await cluster.Grains.GetGrain<IUserGrain>(ann).Block(bob);
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(bob);

        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = "c-1", To = ann, Body = "hi"u8.ToArray() });

        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal((ErrorCodes.Blocked, "blocked", false, "c-1"), (error.Code, error.Name, error.Retryable, error.ClientMessageId));
    }

    [Fact]
    public async Task GroupMessages_FlowBothWays_BetweenABlockerAndTheBlocked()
    {
        var (ann, bob, team) = (Clients.NewUser("ann"), Clients.NewUser("bob"), Clients.NewUser("team"));
        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        await using var bobClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob);
        await annClient.CreateGroupAsync(team, [bob]);
        await annClient.BlockAsync(bob);

        var fromBob = await bobClient.SendGroupTextAsync(team, "from bob");
        var fromAnn = await annClient.SendGroupTextAsync(team, "from ann");

        Assert.Contains(await annClient.ReceiveGroupUntilAsync(team, fromBob.Seq), m => m.Text == "from bob");
        Assert.Contains(await bobClient.ReceiveGroupUntilAsync(team, fromAnn.Seq), m => m.Text == "from ann");
    }

    [Fact]
    public async Task TypingNoticesAndReadReceipts_FromABlockedUser_AreDropped()
    {
        var (ann, bob, carol) = (Clients.NewUser("ann"), Clients.NewUser("bob"), Clients.NewUser("carol"));
        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);
        await using var carolClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, carol);
        await annClient.BlockAsync(bob);
        var toBob = await annClient.SendTextAsync(bob, "for bob");
        var toCarol = await annClient.SendTextAsync(carol, "for carol");
        var (bobsCopy, carolsCopy) = ((await bobClient.ReceiveAsync(1))[0], (await carolClient.ReceiveAsync(1))[0]);
        var typing = new List<TypingNotice>();
        var receipts = new List<ReadReceipt>();
        annClient.TypingReceived += t => { lock (typing) typing.Add(t); };
        annClient.ReceiptReceived += r => { lock (receipts) receipts.Add(r); };

        // Bob's come first; carol's, which do arrive, show that bob's had their turn and were dropped.
        await bobClient.SendTypingAsync(ConversationRef.With(ann));
        await bobClient.MarkReadAsync(ConversationRef.With(ann), bobsCopy.Seq);
        await Task.Delay(300);
        var carolTyping = Clients.NextEventAsync<TypingNotice>(h => annClient.TypingReceived += h);
        var carolReceipt = Clients.NextEventAsync<ReadReceipt>(h => annClient.ReceiptReceived += h);
        await carolClient.SendTypingAsync(ConversationRef.With(ann));
        await carolClient.MarkReadAsync(ConversationRef.With(ann), carolsCopy.Seq);

        Assert.Equal(carol, (await carolTyping).From);
        Assert.Equal((carol, toCarol.Seq), ((await carolReceipt).Peer, (await carolReceipt).Seq));
        Assert.DoesNotContain(typing, t => t.From == bob);
        Assert.DoesNotContain(receipts, r => r.Peer == bob);
        Assert.NotEqual(0, toBob.Seq);
    }

    [Fact]
    public async Task TheListHolds1000Users_TheNextIsRefusedWith451_AndABlockAlreadyHeldStillAnswers()
    {
        var ann = Clients.NewUser("ann");
        var grain = cluster.Grains.GetGrain<IUserGrain>(ann);
        for (var i = 0; i < IUserGrain.MaxBlocked; i++)
        {
            await grain.Block($"u{i:D4}");
        }

        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(ann);
        var over = await RequestAsync(raw, new RequestFrame { RequestId = "r-over", Op = RequestOps.Block, Peer = "one-too-many" });
        var again = await RequestAsync(raw, new RequestFrame { RequestId = "r-again", Op = RequestOps.Block, Peer = "u0007" });

        var error = Assert.IsType<ErrorFrame>(over);
        Assert.Equal((ErrorCodes.BlockLimit, "block_limit", "r-over"), (error.Code, error.Name, error.RequestId));
        Assert.Equal(0, Assert.IsType<ResultFrame>(again).Changed);
        Assert.Equal(IUserGrain.MaxBlocked, (await grain.GetBlocked()).Count);
    }

    [Fact]
    public async Task TheList_IsPagedInOrdinalOrder()
    {
        var ann = Clients.NewUser("ann");
        foreach (var other in new[] { "carol", "Bob", "dave" })
        {
            await cluster.Grains.GetGrain<IUserGrain>(ann).Block(other);
        }

        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(ann);
        var first = Assert.IsType<ResultFrame>(await RequestAsync(raw, new RequestFrame { RequestId = "p1", Op = RequestOps.Blocks, Limit = 2 }));
        var rest = Assert.IsType<ResultFrame>(
            await RequestAsync(raw, new RequestFrame { RequestId = "p2", Op = RequestOps.Blocks, Limit = 2, After = first.Next }));

        Assert.Equal(["Bob", "carol"], first.Users!);
        Assert.Equal(("carol", 3L), (first.Next, first.Total));
        Assert.Equal(["dave"], rest.Users!);
        Assert.Null(rest.Next);
    }

    public static TheoryData<string, Dictionary<string, object?>> BadRequests => new()
    {
        { "no peer", new() { ["op"] = "block" } },
        { "the system", new() { ["op"] = "block", ["peer"] = "" } },
        { "a brace", new() { ["op"] = "block", ["peer"] = "a{b}" } },
        { "a group instead", new() { ["op"] = "unblock", ["group"] = "team" } },
        { "a page too large", new() { ["op"] = "blocks", ["limit"] = 5000 } },
        { "a bad cursor", new() { ["op"] = "blocks", ["after"] = "a b" } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadBlockRequests_Get422WithTheRid_AndTheConnectionStaysOpen(string what, Dictionary<string, object?> body)
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(Clients.NewUser("ann"));
        body["rid"] = "bad";

        await raw.SendPayloadAsync(MessagePackSerializer.Serialize(new object[] { (int)FrameKind.Request, body }));

        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.True((ErrorCodes.InvalidRequest, "bad") == (error.Code, error.RequestId), $"{what}: {error.Code} {error.Reason}");
        await raw.SendAsync(FrameKind.Ping, new PingFrame { T = 7 });
        Assert.Equal(7, Assert.IsType<PongFrame>((await raw.ReceiveAsync())?.Body).T);
    }

    [Fact]
    public async Task BlockingYourself_Is422_AndUnknownKeysAreIgnored()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(ann);

        var self = await RequestAsync(raw, new RequestFrame { RequestId = "self", Op = RequestOps.Block, Peer = ann });
        await raw.SendPayloadAsync(MessagePackSerializer.Serialize(new object[]
        {
            (int)FrameKind.Request, new Dictionary<string, object> { ["rid"] = "extra", ["op"] = "block", ["peer"] = bob, ["forever"] = true, ["note"] = new[] { 1, 2 } },
        }));
        var extra = (await raw.ReceiveAsync())?.Body;

        var error = Assert.IsType<ErrorFrame>(self);
        Assert.Equal((ErrorCodes.InvalidRequest, "self"), (error.Code, error.RequestId));
        Assert.Contains("themselves", error.Reason);
        Assert.Equal((1, "extra"), (Assert.IsType<ResultFrame>(extra).Changed, ((ResultFrame)extra!).RequestId));
        Assert.Equal([bob], await cluster.Grains.GetGrain<IUserGrain>(ann).GetBlocked());
    }

    [Fact]
    public async Task TheBlock_OutlivesTheGrainsActivation()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await cluster.Grains.GetGrain<IUserGrain>(ann).Block(bob);

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromSeconds(1));
        await using var bobClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob);

        Assert.Equal(ErrorCodes.Blocked, (await Assert.ThrowsAsync<ImClientException>(() => bobClient.SendTextAsync(ann, "still?"))).Code);
    }

    [Fact]
    public async Task TheAdminApi_Blocks_Lists_AndUnblocks_UnderTheSameRules()
    {
        using var admin = new AdminClient(cluster.Edge);
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));

        var blocked = await admin.PutAsync($"/api/v1/users/{ann}/blocks/{bob}", new { });
        var list = await admin.GetAsync($"/api/v1/users/{ann}/blocks");
        var asBob = await admin.PostAsync("/api/v1/messages", new { from = bob, to = ann, cmid = "api-1", text = "hi" });
        var self = await admin.PutAsync($"/api/v1/users/{ann}/blocks/{ann}", new { });
        var unblocked = await admin.DeleteAsync($"/api/v1/users/{ann}/blocks/{bob}");

        Assert.True(blocked.Status == HttpStatusCode.OK, blocked.Text);
        Assert.True(blocked.Json.GetProperty("changed").GetBoolean());
        Assert.Equal(bob, list.Json.GetProperty("blocked")[0].GetString());
        Assert.Equal(IUserGrain.MaxBlocked, list.Json.GetProperty("max").GetInt32());
        Assert.Equal((HttpStatusCode.Forbidden, "blocked"), (asBob.Status, asBob.Str("error")));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (self.Status, self.Str("error")));
        Assert.True(unblocked.Json.GetProperty("changed").GetBoolean());
        Assert.Empty(await cluster.Grains.GetGrain<IUserGrain>(ann).GetBlocked());
    }

    [Fact]
    public async Task Imctl_Blocks_Lists_AndUnblocks()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        var server = cluster.Edge.Tcp.ToString();

        var block = await Imctl.RunAsync("block", bob, "--as", ann, "--server", server);
        var list = await Imctl.RunAsync("blocks", "--as", ann, "--server", server);
        var unblock = await Imctl.RunAsync("unblock", bob, "--as", ann, "--server", server);

        Assert.True(block.ExitCode == 0, block.Stderr);
        Assert.True(JsonDocument.Parse(block.Stdout).RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal(bob, JsonDocument.Parse(list.Stdout).RootElement.GetProperty("user").GetString());
        Assert.True(JsonDocument.Parse(unblock.Stdout).RootElement.GetProperty("changed").GetBoolean());
        Assert.Empty(await cluster.Grains.GetGrain<IUserGrain>(ann).GetBlocked());
    }

    private static async Task<object?> RequestAsync(RawConnection raw, RequestFrame request)
    {
        await raw.SendAsync(FrameKind.Request, request);
        return (await raw.ReceiveAsync())?.Body;
    }
}
