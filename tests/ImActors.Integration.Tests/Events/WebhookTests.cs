using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Events;

/// <summary>Webhooks to a real HTTP receiver: the signature a receiver checks, retries after a 500, and the dead letters after the bound.</summary>
[Collection(EventsCollection.Name)]
public sealed class WebhookTests(EventsFixture events)
{
    [Fact]
    public async Task EveryRequest_IsSignedOverTimestampAndBody_WithTheSecret()
    {
        var erin = Clients.NewUser("erin");
        await events.Grains.GetGrain<IUserGrain>(erin).Ban("test");

        await Eventually.TrueAsync(() => events.Receiver.TakenAbout(erin).Count > 0);
        var request = events.Receiver.TakenAbout(erin)[0];
        var timestamp = request.Headers["X-ImActors-Timestamp"];
        // Computed here as a receiver in any language would: HMAC-SHA256(secret, "<timestamp>.<body>"), hex.
        var expected = "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(EventsFixture.Secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(request.Body).ToArray()));
        Assert.Equal(expected, request.Headers["X-ImActors-Signature"]);
        Assert.InRange(long.Parse(timestamp), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal((request.EventId, EventTypes.UserBanned), (request.Headers["X-ImActors-Event-Id"], request.Headers["X-ImActors-Event-Type"]));
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
    }

    [Fact]
    public async Task ReceiverAnswering500_IsRetried_UntilItTakesTheEvent()
    {
        var frank = Clients.NewUser("frank");
        events.Receiver.Refuse(frank, times: EventsFixture.MaxAttempts - 1);

        await events.Grains.GetGrain<IUserGrain>(frank).Ban("test");

        await Eventually.TrueAsync(() => events.Receiver.TakenAbout(frank).Count > 0);
        var attempts = events.Receiver.Requests.Where(r => r.User == frank).ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.Status));
        Assert.Equal(["1", "2", "3"], attempts.Select(a => a.Headers["X-ImActors-Attempt"]));
        Assert.Single(attempts.Select(a => a.EventId).Distinct());
        Assert.DoesNotContain(await DeadLettersAsync(), d => d.GetProperty("event").GetProperty("user").GetString() == frank);
    }

    [Fact]
    public async Task ReceiverThatKeepsFailing_GetsTheBoundOfAttempts_ThenTheEventIsDeadLettered()
    {
        var grace = Clients.NewUser("grace");
        events.Receiver.Refuse(grace, times: int.MaxValue);

        await events.Grains.GetGrain<IUserGrain>(grace).Ban("test");

        await Eventually.TrueAsync(async () => (await DeadLettersAsync()).Any(d => d.GetProperty("event").GetProperty("user").GetString() == grace));
        var letter = (await DeadLettersAsync()).Single(d => d.GetProperty("event").GetProperty("user").GetString() == grace);
        Assert.Equal((events.Receiver.Url, EventsFixture.MaxAttempts, "HTTP 500"),
            (letter.GetProperty("url").GetString(), letter.GetProperty("attempts").GetInt32(), letter.GetProperty("error").GetString()));
        Assert.Equal(EventTypes.UserBanned, letter.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal(EventsFixture.MaxAttempts, events.Receiver.Requests.Count(r => r.User == grace));
        // Given up on, not stuck: the queue goes on to later events.
        var later = Clients.NewUser("henry");
        await events.Grains.GetGrain<IUserGrain>(later).Ban("test");
        await Eventually.TrueAsync(() => events.Receiver.TakenAbout(later).Count > 0);
    }

    private async Task<List<JsonElement>> DeadLettersAsync() =>
        (await events.Store.ListRangeAsync("im:webhooks:dead")).Select(e => JsonDocument.Parse((string)e!).RootElement.Clone()).ToList();
}
