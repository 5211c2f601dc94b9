using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Protection;

/// <summary>Rate limits per connection and per user, on an edge of their own with small buckets.</summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
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
        // Sent one at a time until the first refusal: on a slow machine the bucket refills between sends, so the
        // refusal may come some sends after the burst; what is tested is what happens to it.
        ErrorFrame? refusal = null;
        var cmid = "";
        for (var i = 0; i < MessageBurst + 20 && refusal is null; i++)
        {
            cmid = $"b-{i}";
            await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = cmid, To = peer, Body = [1] });
            var answer = (await raw.ReceiveAsync())?.Body;
            refusal = answer as ErrorFrame;
            Assert.True(answer is AckFrame || refusal is not null, $"expected an ack or an error, got {answer}");
        }

        Assert.NotNull(refusal);
        Assert.Equal(ErrorCodes.RateLimited, refusal.Code);
        Assert.Equal(cmid, refusal.ClientMessageId);

        await Task.Delay(refusal.RetryAfterMs + 50);
        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = cmid, To = peer, Body = [1] });
        Assert.Equal(cmid, Assert.IsType<AckFrame>((await raw.ReceiveAsync())?.Body).ClientMessageId);
    }

    [Fact]
    public async Task Reconnecting_DoesNotRefillTheUsersAllowance()
    {
        // The user's burst is 15 at 1 a second; one connection's is 10. Ten sends on a first connection leave the
        // user about 5: a second connection right after must run out of them, not start over with a fresh 15.
        var user = Clients.NewUser("reconnecting");
        var peer = Clients.NewUser("sink");
        await using (var first = await RawConnection.OpenTcpAsync(_edge))
        {
            await first.HelloAsync(user);
            for (var i = 0; i < MessageBurst; i++)
            {
                await first.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = $"a-{i}", To = peer, Body = [1] });
                Assert.IsType<AckFrame>((await first.ReceiveAsync())?.Body);
            }
        }

        await using var second = await RawConnection.OpenTcpAsync(_edge);
        await second.HelloAsync(user);
        var refused = 0;
        for (var i = 0; i < MessageBurst; i++)
        {
            await second.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = $"b-{i}", To = peer, Body = [1] });
            if ((await second.ReceiveAsync())?.Body is ErrorFrame { Code: ErrorCodes.RateLimited })
            {
                refused++;
            }
        }

        Assert.True(refused > 0, "a reconnect got a fresh user allowance: all 10 sends passed");
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
