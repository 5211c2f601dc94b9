using System.Text;
using System.Text.Json;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Events;

/// <summary>
/// The event stream end to end: sends and changes through the real edge and grains, events written by the store step,
/// read by the stream from the real Redis, and seen where a business service sees them, at the webhook receiver.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class EventStreamTests(EventsFixture events)
{
    // Longer than a redelivery would take: an event the stream handed out twice would be at the receiver by then.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.5);

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task AckedDirectMessage_AndItsRetry_ProduceExactlyOneEvent_WithTheAcksIdsAndSeqs()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var client = await Clients.ConnectAsync(events.Edge.Tcp, alice);

        var ack = await client.SendTextAsync(bob, "hello bob", "cmid-1");
        var retry = await events.Grains.GetGrain<IUserGrain>(bob).Send(new SendRequest(alice, "", "cmid-1", bob, "text/plain", Text("hello bob")));

        Assert.True(retry.Duplicate);
        var stored = await OneEventAsync(bob, e => e.Type == EventTypes.MessageStored && Str(e.Event, "messageId") == ack.MessageId);
        Assert.Equal((alice, bob, "text/plain"), (Str(stored.Event, "from"), Str(stored.Event, "user"), Str(stored.Event, "contentType")));
        Assert.Equal(ack.PeerSeq, stored.Event.GetProperty("seq").GetInt64());
        // On a sharded store the recipient's step writes the event before the sender's copy has a seq (decision 82), so
        // the event has none; docs/api.md says so.
        if (StoreSwitch.OnCluster)
        {
            Assert.False(stored.Event.TryGetProperty("senderSeq", out _));
        }
        else
        {
            Assert.Equal(ack.Seq, stored.Event.GetProperty("senderSeq").GetInt64());
        }

        Assert.False(stored.Event.TryGetProperty("body", out _), "bodies stay out unless configured");
    }

    [Fact]
    public async Task AckedGroupMessage_AndItsRetry_ProduceExactlyOneEvent()
    {
        var (alice, bob, group) = (Clients.NewUser("alice"), Clients.NewUser("bob"), Clients.NewUser("team"));
        await events.Grains.GetGrain<IGroupGrain>(group).Create(Actor.OfUser(alice), [bob], open: false);
        await using var client = await Clients.ConnectAsync(events.Edge.Tcp, alice);

        var ack = await client.SendGroupTextAsync(group, "hi team", "g-1");
        var retry = await events.Grains.GetGrain<IGroupGrain>(group).Send(
            new GroupSendRequest(Actor.OfUser(alice), null, "g-1", "text/plain", Text("hi team")));

        Assert.True(retry.Duplicate);
        var stored = await OneEventAsync(group, e => e.Type == EventTypes.MessageStored && Str(e.Event, "messageId") == ack.MessageId);
        Assert.Equal((alice, group, ack.Seq), (Str(stored.Event, "from"), Str(stored.Event, "group"), stored.Event.GetProperty("seq").GetInt64()));
        var created = Assert.Single(events.Receiver.TakenAbout(group), e => e.Type == EventTypes.GroupCreated);
        Assert.Equal(alice, Str(created.Event, "actor"));
    }

    [Fact]
    public async Task RefusedGroupSend_WritesNoEvent()
    {
        var (alice, mallory, group) = (Clients.NewUser("alice"), Clients.NewUser("mallory"), Clients.NewUser("club"));
        var grain = events.Grains.GetGrain<IGroupGrain>(group);
        await grain.Create(Actor.OfUser(alice), [], open: false);

        await Assert.ThrowsAsync<RefusedException>(() => grain.Send(new GroupSendRequest(Actor.OfUser(mallory), null, "m-1", "text/plain", Text("let me in"))));
        // The group's events are read in the order written: once the next send's event is there, a refused one would be too.
        var marker = await grain.Send(new GroupSendRequest(Actor.OfUser(alice), null, "a-1", "text/plain", Text("after")));

        await OneEventAsync(group, e => Str(e.Event, "messageId") == marker.MessageId);
        Assert.DoesNotContain(events.Receiver.TakenAbout(group), e => Str(e.Event, "from") == mallory);
        Assert.Equal([EventTypes.GroupCreated, EventTypes.MessageStored], events.Receiver.TakenAbout(group).Select(e => e.Type));
    }

    [Fact]
    public async Task Login_ThenLogout_AreOnlineThenOffline_AfterTheGrace()
    {
        var carol = Clients.NewUser("carol");
        var client = await Clients.ConnectAsync(events.Edge.Tcp, carol);
        await OneEventAsync(carol, e => e.Type == EventTypes.UserOnline);

        await client.DisposeAsync();

        await OneEventAsync(carol, e => e.Type == EventTypes.UserOffline);
        Assert.Equal([EventTypes.UserOnline, EventTypes.UserOffline], events.Receiver.TakenAbout(carol).Select(e => e.Type));
    }

    [Fact]
    public async Task KickAndBan_AreEvents_WithTheirReasons()
    {
        var dave = Clients.NewUser("dave");
        await using var client = await Clients.ConnectAsync(events.Edge.Tcp, dave, device: "phone-1");
        var grain = events.Grains.GetGrain<IUserGrain>(dave);

        await grain.Kick("phone-1", "spam");
        await grain.Ban("repeated spam");

        var kicked = await OneEventAsync(dave, e => e.Type == EventTypes.UserKicked);
        Assert.Equal("spam", Str(kicked.Event, "reason"));
        Assert.Equal(["phone-1"], kicked.Event.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
        var banned = await OneEventAsync(dave, e => e.Type == EventTypes.UserBanned);
        Assert.Equal("repeated spam", Str(banned.Event, "reason"));
    }

    [Fact]
    public async Task DeviceLimitSignOut_IsAKickEvent_WithTheRuleAsReason()
    {
        var erin = Clients.NewUser("erin");
        await using var first = await SignInAsync(erin, "phone-1", "ios");
        await using var second = await SignInAsync(erin, "phone-2", "android");

        var kicked = await OneEventAsync(erin, e => e.Type == EventTypes.UserKicked);
        Assert.Equal(["phone-1"], kicked.Event.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("phone-2", Str(kicked.Event, "reason"));
    }

    private async Task<RawConnection> SignInAsync(string user, string device, string platform)
    {
        var connection = await RawConnection.OpenTcpAsync(events.Edge);
        await connection.SendAsync(FrameKind.Hello, new HelloFrame { Token = Clients.Token(user), Device = device, Platform = platform, Versions = [1] });
        Assert.IsType<WelcomeFrame>((await connection.ReceiveAsync())?.Body);
        // The next sign-in must come later to be the newer session.
        await Task.Delay(5);
        return connection;
    }

    /// <summary>Waits for an event the receiver took about <paramref name="entity"/>, then requires it to be the only such one.</summary>
    private async Task<WebhookReceiver.Received> OneEventAsync(string entity, Func<WebhookReceiver.Received, bool> match)
    {
        await Eventually.TrueAsync(() => events.Receiver.TakenAbout(entity).Any(match));
        await Task.Delay(Settle);
        return Assert.Single(events.Receiver.TakenAbout(entity), e => match(e));
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
