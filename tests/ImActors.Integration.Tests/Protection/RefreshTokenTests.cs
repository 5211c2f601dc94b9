using System.Net;
using ImActors.Client;
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
        // Auth:AccessLifetime is 6 s in the test cluster.
        Assert.InRange(refreshed.TokenExpiresAt - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 4, 7);
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
        Assert.Equal(ErrorCodes.TokenRevoked, (await live.ClosedWithAsync()).Code);

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

    [Fact]
    public async Task TheSdk_RefreshesBeforeEachExpiry_ByItself_AndReportsARefusedRefresh()
    {
        var dee = Clients.NewUser("dee");
        var source = new RefreshTokenSource(cluster.Edge.Tcp, await IssueAsync(dee, "phone"));
        var rotations = 0;
        var failures = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Rotated += (_, _) => Interlocked.Increment(ref rotations);
        source.RefreshFailed += e => failures.TrySetResult(e);
        var disconnects = 0;
        await using var client = new ImClient(new ImClientOptions
        {
            Servers = [cluster.Edge.Tcp], TokenProvider = source.GetAccessTokenAsync, Device = "phone",
        });
        client.ConnectionChanged += e => { if (!e.Connected) Interlocked.Increment(ref disconnects); };
        await client.ConnectAsync();

        // Three 6-second access tokens' worth: the session outlives each by a refresh and a reauth, never closed.
        await Task.Delay(TimeSpan.FromSeconds(14));
        Assert.True(Volatile.Read(ref rotations) >= 3, $"{rotations} refreshes");
        Assert.Equal(0, Volatile.Read(ref disconnects));
        await client.SendAsync(dee, "text/plain", "still here"u8.ToArray());

        await cluster.Grains.GetGrain<Grains.Interfaces.Users.IUserGrain>(dee).Revoke("phone");
        var failure = Assert.IsType<ImClientException>(await failures.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ErrorCodes.TokenInvalid, failure.Code);
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
