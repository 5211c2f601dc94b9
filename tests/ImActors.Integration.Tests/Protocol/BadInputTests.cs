using ImActors.Client;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Protocol;

/// <summary>Every kind of bad input gets its documented error, and never disturbs other connections.</summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class BadInputTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ExpiredToken_IsRefused_WithTokenExpired()
    {
        var user = Clients.NewUser("late");
        var client = new ImClient(new ImClientOptions
        {
            Servers = [cluster.Edge.Tcp],
            TokenProvider = _ => ValueTask.FromResult(TokenIssuer.Issue(user, ProtocolDefaults.DevelopmentTokenSecret, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-1))),
        });
        await using var _ = client;

        var refused = await Assert.ThrowsAsync<ImClientException>(() => client.ConnectAsync());
        Assert.Equal(ErrorCodes.TokenExpired, refused.Code);
    }

    [Fact]
    public async Task ForgedToken_IsRefused_WithTokenInvalid()
    {
        var client = new ImClient(new ImClientOptions
        {
            Servers = [cluster.Edge.WebSocket],
            TokenProvider = _ => ValueTask.FromResult(TokenIssuer.Issue("mallory", "a-different-secret-that-is-long-enough-for-hs256", TimeSpan.FromHours(1))),
        });
        await using var _ = client;

        var refused = await Assert.ThrowsAsync<ImClientException>(() => client.ConnectAsync());
        Assert.Equal(ErrorCodes.TokenInvalid, refused.Code);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public async Task MalformedMessagePack_GetsMalformedFrame_ThenClose(string transport)
    {
        await using var raw = await Open(transport);
        await raw.HelloAsync(Clients.NewUser("bad"));

        await raw.SendPayloadAsync([0xC1, 0xFF, 0x00]);

        var frames = await raw.ReadUntilClosedAsync();
        Assert.Equal(ErrorCodes.MalformedFrame, Assert.IsType<ErrorFrame>(Assert.Single(frames).Body).Code);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public async Task OversizeFrame_GetsFrameTooLarge_ThenClose(string transport)
    {
        await using var raw = await Open(transport);
        await raw.HelloAsync(Clients.NewUser("big"));

        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = "big", To = "bob", Body = new byte[ProtocolDefaults.MaxFrameBytes + 1] });

        var frames = await raw.ReadUntilClosedAsync();
        Assert.Equal(ErrorCodes.FrameTooLarge, Assert.IsType<ErrorFrame>(Assert.Single(frames).Body).Code);
    }

    [Fact]
    public async Task UnknownKind_GetsUnknownKind_AndTheConnectionStaysUsable()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(Clients.NewUser("future"));

        await raw.SendPayloadAsync([0x92, 0x63, 0x80]); // [99, {}]
        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        await raw.SendAsync(FrameKind.Ping, new PingFrame { T = 42 });
        var pong = Assert.IsType<PongFrame>((await raw.ReceiveAsync())?.Body);

        Assert.Equal(ErrorCodes.UnknownKind, error.Code);
        Assert.Equal(42, pong.T);
    }

    [Fact]
    public async Task FrameBeforeHello_GetsNotAuthenticated_ThenClose()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);

        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = "x", To = "bob", Body = [1] });

        var frames = await raw.ReadUntilClosedAsync();
        Assert.Equal(ErrorCodes.NotAuthenticated, Assert.IsType<ErrorFrame>(Assert.Single(frames).Body).Code);
    }

    [Fact]
    public async Task UnknownKindBeforeHello_GetsNotAuthenticated_ThenClose()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);

        await raw.SendPayloadAsync([0x92, 0x63, 0x80]); // [99, {}]

        var frames = await raw.ReadUntilClosedAsync();
        Assert.Equal(ErrorCodes.NotAuthenticated, Assert.IsType<ErrorFrame>(Assert.Single(frames).Body).Code);
    }

    [Fact]
    public async Task SecondHello_GetsAlreadyAuthenticated_AndTheSessionContinues()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        var user = Clients.NewUser("twice");
        await raw.HelloAsync(user);

        await raw.SendAsync(FrameKind.Hello, new HelloFrame { Token = Clients.Token(user), Device = "raw", Versions = [1] });
        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        await raw.SendAsync(FrameKind.Ping, new PingFrame { T = 7 });

        Assert.Equal(ErrorCodes.AlreadyAuthenticated, error.Code);
        Assert.IsType<PongFrame>((await raw.ReceiveAsync())?.Body);
    }

    [Fact]
    public async Task HelloWithNoCommonVersion_GetsUnsupportedVersion_ThenClose()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);

        await raw.SendAsync(FrameKind.Hello, new HelloFrame { Token = Clients.Token("v"), Device = "raw", Versions = [99] });

        var frames = await raw.ReadUntilClosedAsync();
        Assert.Equal(ErrorCodes.UnsupportedVersion, Assert.IsType<ErrorFrame>(Assert.Single(frames).Body).Code);
    }

    [Fact]
    public async Task InvalidSendFields_GetInvalidRequest_WithTheClientMessageId()
    {
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(Clients.NewUser("sloppy"));

        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = "c1", To = "no spaces {allowed}", Body = [1] });
        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal("c1", error.ClientMessageId);
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task SilentConnection_IsClosedAfterThreeHeartbeats_AndItsSessionRemoved()
    {
        var user = Clients.NewUser("silent");
        await using var raw = await RawConnection.OpenTcpAsync(cluster.StrictEdge);
        var welcome = await raw.HelloAsync(user);
        Assert.Single(await cluster.Grains.GetGrain<IUserGrain>(user).GetSessions());

        var frames = await raw.ReadUntilClosedAsync(TimeSpan.FromMilliseconds(welcome.HeartbeatMs * 3 + 3000));

        Assert.Equal(ErrorCodes.HeartbeatTimeout, Assert.IsType<ClosingFrame>(Assert.Single(frames).Body).Code);
        await Eventually(async () => (await cluster.Grains.GetGrain<IUserGrain>(user).GetSessions()).Count == 0);
    }

    [Fact]
    public async Task ClientThatStopsReading_IsClosed_WhenItsSendQueueOverflows_AndOthersAreUnaffected()
    {
        var (slow, sender) = (Clients.NewUser("slow"), Clients.NewUser("sender"));
        await using var bystander = await Clients.ConnectAsync(cluster.StrictEdge.Tcp, Clients.NewUser("bystander"));
        await using var raw = await RawConnection.OpenTcpAsync(cluster.StrictEdge, receiveBufferBytes: 4096);
        await raw.HelloAsync(slow);
        await using var senderClient = await Clients.ConnectAsync(cluster.Edge.Tcp, sender);

        // Big pushes fill the socket buffers, then the 8-frame queue; the raw client never reads.
        var body = new byte[60_000];
        for (var i = 0; i < 400; i++)
        {
            await senderClient.SendAsync(slow, "application/octet-stream", body);
        }

        // The edge gives a stuck writer a short grace to drain, then drops the connection and its session.
        await Eventually(async () => (await cluster.Grains.GetGrain<IUserGrain>(slow).GetSessions()).Count == 0);
        var ack = await bystander.SendTextAsync(sender, "still fine");
        Assert.True(ack.Seq > 0);
    }

    [Fact]
    public async Task GarbageOnOneConnection_DoesNotDisturbAnother()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        for (var i = 0; i < 20; i++)
        {
            await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
            await raw.SendPayloadAsync(Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 50));
        }

        await aliceClient.SendTextAsync(bob, "after the storm");
        Assert.Equal("after the storm", (await bobClient.ReceiveAsync(1)).Single().Text);
    }

    private Task<RawConnection> Open(string transport) =>
        transport == "ws" ? RawConnection.OpenWebSocketAsync(cluster.Edge) : RawConnection.OpenTcpAsync(cluster.Edge);

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("condition never became true");
    }
}
