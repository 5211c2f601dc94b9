using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using Microsoft.Extensions.Time.Testing;

namespace ImActors.Integration.Tests.Protection;

/// <summary>
/// A live session ends when its token does, unless a reauth brought a fresh one. The edge's clock is fake here (and so
/// is the SDK's in the renewal test): the tests move it past expiries instead of waiting. Clock skew is 0, so an expiry
/// is an expiry.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class SessionExpiryTests(ClusterFixture cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private EdgeProcess _edge = null!;

    public async Task InitializeAsync() => _edge = await cluster.StartEdgeAsync("edge-expiry", new Dictionary<string, string?>
    {
        ["Auth:ClockSkew"] = "00:00:00",
        // Fake minutes pass in a blink here: only the token may end these sessions.
        ["Admission:HelloTimeout"] = "365.00:00:00",
    }, _time);

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    private string Token(string user, TimeSpan? lifetime = null) =>
        TokenIssuer.Issue(user, ProtocolDefaults.DevelopmentTokenSecret, lifetime ?? Lifetime, _time.GetUtcNow());

    [Fact]
    public async Task SessionWhoseTokenExpires_GetsClosingTokenExpired()
    {
        await using var raw = await RawConnection.OpenTcpAsync(_edge);
        var welcome = await HelloAsync(raw, Clients.NewUser("lapse"));
        Assert.Equal((_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds(), welcome.TokenExpiresAt);

        _time.Advance(Lifetime + TimeSpan.FromSeconds(1));

        var closing = Assert.IsType<ClosingFrame>(Assert.Single(await raw.ReadUntilClosedAsync()).Body);
        Assert.Equal(ErrorCodes.TokenExpired, closing.Code);
    }

    [Fact]
    public async Task Reauth_ExtendsTheSession_PastTheFirstTokensExpiry()
    {
        var user = Clients.NewUser("renew");
        await using var raw = await RawConnection.OpenTcpAsync(_edge);
        await HelloAsync(raw, user);

        _time.Advance(Lifetime - TimeSpan.FromMinutes(1));
        await raw.SendAsync(FrameKind.Reauth, new ReauthFrame { Token = Token(user) });
        var reauthed = Assert.IsType<ReauthedFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal((_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds(), reauthed.TokenExpiresAt);
        _time.Advance(TimeSpan.FromMinutes(2));

        await raw.SendAsync(FrameKind.Ping, new PingFrame { T = 3 });
        Assert.IsType<PongFrame>((await raw.ReceiveAsync())?.Body);
    }

    [Fact]
    public async Task ReauthWithABadToken_IsRefused_AndTheSessionKeepsItsOldExpiry()
    {
        var user = Clients.NewUser("forger");
        await using var raw = await RawConnection.OpenTcpAsync(_edge);
        await HelloAsync(raw, user);

        await raw.SendAsync(FrameKind.Reauth, new ReauthFrame { Token = Token(user) + "x" });
        Assert.Equal(ErrorCodes.TokenInvalid, Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body).Code);
        await raw.SendAsync(FrameKind.Ping, new PingFrame { T = 4 });
        Assert.IsType<PongFrame>((await raw.ReceiveAsync())?.Body);

        _time.Advance(Lifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorCodes.TokenExpired, Assert.IsType<ClosingFrame>(Assert.Single(await raw.ReadUntilClosedAsync()).Body).Code);
    }

    [Fact]
    public async Task ReauthAsAnotherUser_IsRefused_AndTheConnectionClosed()
    {
        await using var raw = await RawConnection.OpenTcpAsync(_edge);
        await HelloAsync(raw, Clients.NewUser("self"));

        await raw.SendAsync(FrameKind.Reauth, new ReauthFrame { Token = Token(Clients.NewUser("other")) });

        var refusal = Assert.IsType<ErrorFrame>(Assert.Single(await raw.ReadUntilClosedAsync()).Body);
        Assert.Equal(ErrorCodes.TokenInvalid, refusal.Code);
    }

    [Fact]
    public async Task Sdk_SendsReauthByItself_BeforeExpiry_AndStaysConnected()
    {
        var user = Clients.NewUser("sdk");
        var tokensAsked = 0;
        var disconnects = 0;
        await using var client = new ImClient(new ImClientOptions
        {
            Servers = [_edge.Tcp],
            TokenProvider = _ =>
            {
                Interlocked.Increment(ref tokensAsked);
                return ValueTask.FromResult(Token(user));
            },
            TokenRenewBefore = TimeSpan.FromMinutes(1),
            TimeProvider = _time,
        });
        client.ConnectionChanged += change => { if (!change.Connected) Interlocked.Increment(ref disconnects); };
        await client.ConnectAsync();
        Assert.Equal(1, tokensAsked);

        _time.Advance(Lifetime - TimeSpan.FromSeconds(59));
        await Eventually.TrueAsync(() => Volatile.Read(ref tokensAsked) == 2);
        // The reauth is on its way or answered; a send after it is answered after it too (frames are handled in order).
        await client.SendTextAsync(Clients.NewUser("peer"), "before the first token's expiry");
        _time.Advance(TimeSpan.FromMinutes(2));

        var receipt = await client.SendTextAsync(Clients.NewUser("peer"), "after the first token's expiry");
        Assert.False(string.IsNullOrEmpty(receipt.MessageId));
        // The edge's sweep ran on the advance; give a close it might have sent time to arrive.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, Volatile.Read(ref disconnects));
    }

    private async Task<WelcomeFrame> HelloAsync(RawConnection raw, string user)
    {
        await raw.SendAsync(FrameKind.Hello, new HelloFrame { Token = Token(user), Device = "raw", Versions = [1] });
        return Assert.IsType<WelcomeFrame>((await raw.ReceiveAsync())?.Body);
    }
}
