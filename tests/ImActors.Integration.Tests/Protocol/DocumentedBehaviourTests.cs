using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Protocol;

/// <summary>
/// What a client written from docs/protocol.md alone relies on and once did not get: each test is a sentence of that
/// document.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DocumentedBehaviourTests(ClusterFixture cluster)
{
    /// <summary>"An empty message counts as a zero-length frame (400, close)."</summary>
    [Fact]
    public async Task EmptyWebSocketMessage_GetsMalformedFrame_ThenClose()
    {
        await using var raw = await RawConnection.OpenWebSocketAsync(cluster.Edge);
        await raw.HelloAsync(Clients.NewUser("empty"));

        await raw.SendPayloadAsync([]);

        var frames = await raw.ReadUntilClosedAsync();
        Assert.Equal(ErrorCodes.MalformedFrame, Assert.IsType<ErrorFrame>(Assert.Single(frames).Body).Code);
    }

    /// <summary>"A sync ... rid: echoed in the syncPage or the error that answers this sync."</summary>
    [Fact]
    public async Task SyncRefusedWithInvalidRequest_CarriesItsRid()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(Clients.NewUser("syncer"));

        await raw.SendAsync(FrameKind.Sync, new SyncFrame { RequestId = "sync:bad", After = -1, Limit = 10 });

        var refusal = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal((ErrorCodes.InvalidRequest, "sync:bad"), (refusal.Code, refusal.RequestId));
    }

    /// <summary>The error-code table: 429 is retryable (after retryAfterMs), as the server says in every 429.</summary>
    [Fact]
    public async Task RateLimitedTyping_IsRetryable_WithARetryAfter()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(Clients.NewUser("typist"));
        var peer = Clients.NewUser("reader");

        // A burst of 5 passes (with no reply); the 6th is refused; the pong marks the end of the answers.
        for (var i = 0; i < 6; i++)
        {
            await raw.SendAsync(FrameKind.Typing, new TypingFrame { Peer = peer });
        }

        await raw.SendAsync(FrameKind.Ping, new PingFrame { T = 6 });
        var refusal = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.IsType<PongFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal(ErrorCodes.RateLimited, refusal.Code);
        Assert.True(refusal.Retryable);
        Assert.True(refusal.RetryAfterMs > 0);
    }

    /// <summary>1000 members of 64 characters in one group.create are within the documented limits, so within maxFrame.</summary>
    [Fact]
    public async Task GroupCreateWithTheMostMembersOfTheLongestIds_FitsInOneFrame()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        var welcome = await raw.HelloAsync(Clients.NewUser("owner"));
        var request = LargestRequest.GroupCreate();
        var frame = FrameEncoder.Encode(FrameKind.Request, request);
        Assert.True(frame.Length - 4 <= welcome.MaxFrameBytes, $"{frame.Length - 4} bytes against a maximum of {welcome.MaxFrameBytes}");

        await raw.SendFrameAsync(frame);

        // The group's created event may be pushed before the result.
        var answer = (await raw.ReceiveAsync(TimeSpan.FromSeconds(30)))?.Body;
        while (answer is MessageFrame)
        {
            answer = (await raw.ReceiveAsync(TimeSpan.FromSeconds(30)))?.Body;
        }

        var result = Assert.IsType<ResultFrame>(answer);
        Assert.Equal(1001, result.Group?.MemberCount);
    }
}

/// <summary>The largest request the documented limits allow: 1000 members of 64 characters, with the longest group id and rid.</summary>
internal static class LargestRequest
{
    public static RequestFrame GroupCreate() => new()
    {
        RequestId = Long('r', 128),
        Op = RequestOps.GroupCreate,
        Group = Long('g', 64),
        Members = Enumerable.Range(0, 1000).Select(i => Long('m', 60) + i.ToString("D4")).ToArray(),
    };

    private static string Long(char c, int length) => Guid.NewGuid().ToString("N")[..8] + new string(c, length - 8);
}
