using System.Diagnostics;
using System.Net;
using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Protection;

/// <summary>
/// Revoking a user or a device (decision 107): live sessions holding older tokens close within a second on every edge,
/// and tokens issued before the revocation are refused at hello and at reauth; tokens issued after it work.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RevocationTests(ClusterFixture cluster)
{
    [Fact]
    public async Task RevokingAUser_ClosesEverySessionOnEveryEdgeWithinASecond_AndRefusesItsOlderTokens()
    {
        using var admin = new AdminClient(cluster.Edge);
        var ann = Clients.NewUser("ann");
        var old = Clients.Token(ann);
        await using var tcp = await RawConnection.OpenTcpAsync(cluster.Edge);
        await using var ws = await RawConnection.OpenWebSocketAsync(cluster.EdgeB);
        await HelloAsync(tcp, old, "phone");
        await HelloAsync(ws, old, "laptop");

        var clock = Stopwatch.StartNew();
        var revoked = await admin.PostAsync($"/api/v1/users/{ann}/revoke", new { });
        var closings = await Task.WhenAll(tcp.ClosedWithAsync(), ws.ClosedWithAsync());
        var elapsed = clock.Elapsed;

        Assert.True(revoked.Status == HttpStatusCode.OK, revoked.Text);
        Assert.True(revoked.Json.GetProperty("validAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.All(closings, c => Assert.Equal(ErrorCodes.TokenRevoked, c.Code));
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"closed after {elapsed.TotalMilliseconds:0} ms");

        await using var again = await RawConnection.OpenTcpAsync(cluster.EdgeB);
        var refused = await RefusedAsync(again, old, "phone");
        Assert.Equal((ErrorCodes.TokenRevoked, "token_revoked"), (refused.Code, refused.Name));

        await using var fresh = await RawConnection.OpenTcpAsync(cluster.Edge);
        await HelloAsync(fresh, IssuedAfterNow(ann), "phone");
    }

    [Fact]
    public async Task RevokingADevice_ClosesThatDeviceOnly_AndItsOlderTokensAreRefusedThere()
    {
        using var admin = new AdminClient(cluster.Edge);
        var bob = Clients.NewUser("bob");
        var old = Clients.Token(bob);
        await using var phone = await RawConnection.OpenTcpAsync(cluster.Edge);
        await using var laptop = await RawConnection.OpenTcpAsync(cluster.EdgeB);
        await HelloAsync(phone, old, "phone");
        await HelloAsync(laptop, old, "laptop");

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{bob}/revoke", new { device = "phone" })).Status);
        Assert.Equal(ErrorCodes.TokenRevoked, (await phone.ClosedWithAsync()).Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"closed after {clock.Elapsed.TotalMilliseconds:0} ms");

        // The laptop's session and token are untouched: it is answered, and signs in again elsewhere with the same token.
        await laptop.SendAsync(FrameKind.Ping, new PingFrame { T = 7 });
        Assert.Equal(7, Assert.IsType<PongFrame>((await laptop.ReceiveAsync())?.Body).T);
        await using var phoneAgain = await RawConnection.OpenTcpAsync(cluster.Edge);
        Assert.Equal(ErrorCodes.TokenRevoked, (await RefusedAsync(phoneAgain, old, "phone")).Code);
        await using var phoneFresh = await RawConnection.OpenTcpAsync(cluster.Edge);
        await HelloAsync(phoneFresh, IssuedAfterNow(bob), "phone");
    }

    [Fact]
    public async Task AReauthWithATokenIssuedBeforeTheRevocation_IsRefused_AndTheSessionStaysOpen()
    {
        var cy = Clients.NewUser("cy");
        var old = Clients.Token(cy);
        await cluster.Grains.GetGrain<Grains.Interfaces.Users.IUserGrain>(cy).Revoke(null);
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await HelloAsync(raw, IssuedAfterNow(cy), "phone");

        await raw.SendAsync(FrameKind.Reauth, new ReauthFrame { Token = old });
        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal(ErrorCodes.TokenRevoked, error.Code);

        await raw.SendAsync(FrameKind.Reauth, new ReauthFrame { Token = IssuedAfterNow(cy) });
        Assert.IsType<ReauthedFrame>((await raw.ReceiveAsync())?.Body);
    }

    [Fact]
    public async Task RevokingAnInvalidDevice_IsA400NamingTheField()
    {
        using var admin = new AdminClient(cluster.Edge);
        var reply = await admin.PostAsync($"/api/v1/users/{Clients.NewUser("dee")}/revoke", new { device = "no spaces" });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("device", reply.Str("field"));
    }

    /// <summary>A token whose iat is after the revocation just made (the check is to the millisecond; iat is whole seconds).</summary>
    internal static string IssuedAfterNow(string user) =>
        TokenIssuer.Issue(user, ProtocolDefaults.DevelopmentTokenSecret, TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddSeconds(2));

    internal static async Task HelloAsync(RawConnection raw, string token, string device)
    {
        await raw.SendAsync(FrameKind.Hello, new HelloFrame { Token = token, Device = device, Versions = [1] });
        Assert.IsType<WelcomeFrame>((await raw.ReceiveAsync())?.Body);
    }

    internal static async Task<ErrorFrame> RefusedAsync(RawConnection raw, string token, string device)
    {
        await raw.SendAsync(FrameKind.Hello, new HelloFrame { Token = token, Device = device, Versions = [1] });
        return Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
    }
}
