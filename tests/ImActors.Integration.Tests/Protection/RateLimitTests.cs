using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Protection;

/// <summary>Rate limits per connection and per user, on an edge of their own with small buckets.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RateLimitTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const int MessageBurst = 10;
    private const int RefusalsBeforeClose = 20;
    private EdgeProcess _edge = null!;

    public async Task InitializeAsync() => _edge = await cluster.StartEdgeAsync("edge-rates", new Dictionary<string, string?>
    {
        ["Limits:MessagesPerSecond"] = "5",
        ["Limits:MessageBurst"] = MessageBurst.ToString(),
        ["Limits:RequestsPerSecond"] = "2",
        ["Limits:RequestBurst"] = "3",
        ["Limits:UserMessagesPerSecond"] = "1",
        ["Limits:UserMessageBurst"] = "15",
        ["Limits:RefusalsBeforeClose"] = RefusalsBeforeClose.ToString(),
    });

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task SendFlood_IsAnswered429WithRetryAfterAndTheCmid_ThenClosedWithRateLimited()
    {
        await using var flooder = await RawConnection.OpenTcpAsync(_edge);
        await flooder.HelloAsync(Clients.NewUser("flood"));
        var peer = Clients.NewUser("sink");

        for (var i = 0; i < MessageBurst + RefusalsBeforeClose + 10; i++)
        {
            await flooder.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = $"f-{i}", To = peer, Body = [1] });
        }

        var frames = await flooder.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        var refusals = frames.Select(f => f.Body).OfType<ErrorFrame>().ToList();
        Assert.Equal(RefusalsBeforeClose - 1, refusals.Count);
        Assert.All(refusals, r =>
        {
            Assert.Equal(ErrorCodes.RateLimited, r.Code);
            Assert.True(r.Retryable);
            Assert.True(r.RetryAfterMs > 0);
            Assert.StartsWith("f-", r.ClientMessageId);
        });
        Assert.InRange(frames.Count(f => f.Body is AckFrame), MessageBurst, MessageBurst + 2);
        var closing = Assert.IsType<ClosingFrame>(frames[^1].Body);
        Assert.Equal(ErrorCodes.RateLimited, closing.Code);
    }

    [Fact]
    public async Task RefusedSend_PassesAfterItsRetryAfter()
    {
        await using var raw = await RawConnection.OpenTcpAsync(_edge);
        await raw.HelloAsync(Clients.NewUser("patient"));
        var peer = Clients.NewUser("sink");
        for (var i = 0; i < MessageBurst; i++)
        {
            await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = $"b-{i}", To = peer, Body = [1] });
            Assert.IsType<AckFrame>((await raw.ReceiveAsync())?.Body);
        }

        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = "late", To = peer, Body = [1] });
        var refusal = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal(ErrorCodes.RateLimited, refusal.Code);

        await Task.Delay(refusal.RetryAfterMs + 50);
        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = "late", To = peer, Body = [1] });
        Assert.Equal("late", Assert.IsType<AckFrame>((await raw.ReceiveAsync())?.Body).ClientMessageId);
    }

    [Fact]
    public async Task Requests_AreLimitedToo_AndTheRefusalCarriesTheRid()
    {
        await using var raw = await RawConnection.OpenTcpAsync(_edge);
        await raw.HelloAsync(Clients.NewUser("asker"));

        for (var i = 0; i < 4; i++)
        {
            await raw.SendAsync(FrameKind.Sync, new SyncFrame { RequestId = $"s-{i}", After = 0, Limit = 1 });
        }

        var answers = new List<object?>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await raw.ReceiveAsync())?.Body);
        }

        Assert.All(answers.Take(3), a => Assert.IsType<SyncPageFrame>(a));
        var refusal = Assert.IsType<ErrorFrame>(answers[3]);
        Assert.Equal((ErrorCodes.RateLimited, "s-3"), (refusal.Code, refusal.RequestId));
    }

    [Fact]
    public async Task TwoDevicesOfOneUser_ShareTheUsersAllowance()
    {
        var user = Clients.NewUser("twin");
        var peer = Clients.NewUser("sink");
        await using var phone = await RawConnection.OpenTcpAsync(_edge);
        await using var laptop = await RawConnection.OpenTcpAsync(_edge);
        await phone.HelloAsync(user, "phone");
        await laptop.HelloAsync(user, "laptop");

        // Each device's own burst is 10; the user's is 15: a send of the pair after the 15th is refused, before either device's own limit.
        var acked = 0;
        ErrorFrame? refusal = null;
        for (var i = 0; i < 9 && refusal is null; i++)
        {
            foreach (var (device, name) in new[] { (phone, "p"), (laptop, "l") })
            {
                await device.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = $"{name}-{i}", To = peer, Body = [1] });
                // Each device also gets the other's sends pushed as messages: only the answer counts.
                var answer = (await device.ReceiveAsync())?.Body;
                while (answer is MessageFrame)
                {
                    answer = (await device.ReceiveAsync())?.Body;
                }

                switch (answer)
                {
                    case AckFrame:
                        acked++;
                        break;
                    case ErrorFrame error:
                        refusal = error;
                        break;
                }
            }
        }

        // 15, or 16 if the user's bucket refilled by one while the sends went round.
        Assert.True(acked is 15 or 16, $"{acked} acked, then {refusal?.Code} {refusal?.Reason}");
        Assert.Equal(ErrorCodes.RateLimited, refusal?.Code);
    }
}
