using System.Net;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Protection;

/// <summary>
/// Refresh tokens (decision 106): issued through the admin API, exchanged at any edge for an access token and the next
/// refresh token, rotated on every use; a used one presented again revokes the device's family and closes its session.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RefreshTokenTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ARefreshBeforeTheHello_GivesAnAccessTokenToSayHelloWith_AndOnASessionExtendsIt()
    {
        var ann = Clients.NewUser("ann");
        var first = await IssueAsync(ann, "phone");

        await using var raw = await RawConnection.OpenTcpAsync(cluster.EdgeB);
        var refreshed = await RefreshAsync(raw, first);
        Assert.NotEqual(first, refreshed.RefreshToken);
        Assert.InRange(refreshed.TokenExpiresAt - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 14 * 60, 16 * 60);
        Assert.InRange(refreshed.RefreshExpiresAt - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 29 * 86400, 31 * 86400);
        await RevocationTests.HelloAsync(raw, refreshed.AccessToken, "phone");

        var again = await RefreshAsync(raw, refreshed.RefreshToken);
        Assert.NotEqual(refreshed.RefreshToken, again.RefreshToken);
        Assert.True(again.TokenExpiresAt >= refreshed.TokenExpiresAt);

        // The access token is the phone's: another device cannot sign in with it.
        await using var other = await RawConnection.OpenTcpAsync(cluster.Edge);
        Assert.Equal(ErrorCodes.TokenInvalid, (await RevocationTests.RefusedAsync(other, again.AccessToken, "tablet")).Code);
    }

    [Fact]
    public async Task AUsedRefreshTokenPresentedAgain_RevokesTheDevicesFamily_AndClosesItsSession()
    {
        var bob = Clients.NewUser("bob");
        var first = await IssueAsync(bob, "phone");
        await using var live = await RawConnection.OpenTcpAsync(cluster.Edge);
        var second = await RefreshAsync(live, first);
        await RevocationTests.HelloAsync(live, second.AccessToken, "phone");

        await using var thief = await RawConnection.OpenTcpAsync(cluster.EdgeB);
        await thief.SendAsync(FrameKind.Refresh, new RefreshFrame { Token = first });
        var refused = Assert.IsType<ErrorFrame>((await thief.ReceiveAsync())?.Body);
        Assert.Equal(ErrorCodes.TokenRevoked, refused.Code);
        Assert.Equal(ErrorCodes.TokenRevoked, (await RevocationTests.ClosedWithAsync(live)).Code);

        // The family is gone: its newest token is refused too.
        await using var late = await RawConnection.OpenTcpAsync(cluster.Edge);
        await late.SendAsync(FrameKind.Refresh, new RefreshFrame { Token = second.RefreshToken });
        Assert.Equal(ErrorCodes.TokenInvalid, Assert.IsType<ErrorFrame>((await late.ReceiveAsync())?.Body).Code);
    }

    [Fact]
    public async Task RevokingTheDevice_DeletesItsRefreshTokens_AndMalformedOnesAreRefused()
    {
        var cy = Clients.NewUser("cy");
        var token = await IssueAsync(cy, "phone");
        using var admin = new AdminClient(cluster.Edge);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{cy}/revoke", new { device = "phone" })).Status);

        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.SendAsync(FrameKind.Refresh, new RefreshFrame { Token = token });
        Assert.Equal(ErrorCodes.TokenInvalid, Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body).Code);

        await using var junk = await RawConnection.OpenTcpAsync(cluster.Edge);
        await junk.SendAsync(FrameKind.Refresh, new RefreshFrame { Token = $"{cy}~phone~x~1~y" });
        var error = Assert.IsType<ErrorFrame>((await junk.ReceiveAsync())?.Body);
        Assert.Equal((ErrorCodes.TokenInvalid, "refresh token is malformed"), (error.Code, error.Reason));
    }

    private async Task<string> IssueAsync(string user, string device)
    {
        using var admin = new AdminClient(cluster.Edge);
        var issued = await admin.PostAsync($"/api/v1/users/{user}/devices/{device}/refresh-token", new { });
        Assert.True(issued.Status == HttpStatusCode.OK, issued.Text);
        Assert.NotEmpty(issued.Str("accessToken")!);
        return issued.Str("refreshToken")!;
    }

    private static async Task<RefreshedFrame> RefreshAsync(RawConnection raw, string token)
    {
        await raw.SendAsync(FrameKind.Refresh, new RefreshFrame { Token = token });
        var reply = await raw.ReceiveAsync();
        return Assert.IsType<RefreshedFrame>(reply?.Body);
    }
}
