using System.Text;
using System.Text.Json;
using ImActors.Grains.Events;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Events;

/// <summary>
/// The offline push (decision 111) to a real HTTP receiver: a message for a user with no device connected is posted,
/// signed; one for a connected user is not; messages within the window are one notice with their count.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class OfflinePushTests(EventsFixture events)
{
    private Task<SendResult> SendAsync(string from, string to, string cmid) =>
        events.Grains.GetGrain<IUserGrain>(to).Send(new SendRequest(from, "", cmid, to, "text/plain", Encoding.UTF8.GetBytes("hi")));

    [Fact]
    public async Task MessageForUserWithNoDevice_IsPushed_SignedWithTheLastMessagesIds()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));

        var ack = await SendAsync(alice, bob, "p-1");

        await Eventually.TrueAsync(() => events.Push.TakenAbout(bob).Count > 0);
        var notice = Assert.Single(events.Push.TakenAbout(bob));
        Assert.Equal(EventTypes.MessageOffline, notice.Type);
        Assert.Equal((alice, ack.MessageId, ack.RecipientSeq, 1),
            (Str(notice.Event, "from"), Str(notice.Event, "messageId"), notice.Event.GetProperty("seq").GetInt64(), notice.Event.GetProperty("count").GetInt32()));
        var timestamp = notice.Headers["X-ImActors-Timestamp"];
        Assert.Equal(Grains.Webhooks.WebhookSignature.Sign(EventsFixture.PushSecret, long.Parse(timestamp), notice.Body), notice.Headers["X-ImActors-Signature"]);
    }

    [Fact]
    public async Task MessageForUserWithADeviceConnected_IsNotPushed()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        // Read after bob's by the same queue's push grain: once its notice is posted, bob's would have been too.
        var later = UserOnSameQueueAs(bob, "carol");
        await using var device = await Clients.ConnectAsync(events.Edge.Tcp, bob);

        await SendAsync(alice, bob, "p-1");
        await SendAsync(alice, later, "p-2");

        await Eventually.TrueAsync(() => events.Push.TakenAbout(later).Count > 0);
        await Task.Delay(EventsFixture.PushWindow);
        Assert.DoesNotContain(events.Push.Requests, r => r.User == bob);
        Assert.Contains(events.Receiver.TakenAbout(bob), e => e.Type == EventTypes.MessageStored);
    }

    [Fact]
    public async Task MessagesWithinTheWindow_AreOneNotice_WithTheirCount_AndALaterOneOpensAnother()
    {
        var (alice, dave, erin) = (Clients.NewUser("alice"), Clients.NewUser("dave"), Clients.NewUser("erin"));

        await SendAsync(alice, dave, "p-1");
        await SendAsync(erin, dave, "p-2");
        var last = await SendAsync(alice, dave, "p-3");

        await Eventually.TrueAsync(() => events.Push.TakenAbout(dave).Count > 0);
        await Task.Delay(EventsFixture.PushWindow);
        var notice = Assert.Single(events.Push.TakenAbout(dave));
        Assert.Equal((3, last.MessageId), (notice.Event.GetProperty("count").GetInt32(), Str(notice.Event, "messageId")));

        var next = await SendAsync(erin, dave, "p-4");
        await Eventually.TrueAsync(() => events.Push.TakenAbout(dave).Count > 1);
        Assert.Equal((1, next.MessageId, erin),
            (events.Push.TakenAbout(dave)[1].Event.GetProperty("count").GetInt32(), Str(events.Push.TakenAbout(dave)[1].Event, "messageId"),
             Str(events.Push.TakenAbout(dave)[1].Event, "from")));
    }

    private static string UserOnSameQueueAs(string user, string name)
    {
        var keys = new OutboxKeys(queues: 2, sharded: false);
        while (true)
        {
            var candidate = Clients.NewUser(name);
            if (keys.QueueOf(candidate) == keys.QueueOf(user))
            {
                return candidate;
            }
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
