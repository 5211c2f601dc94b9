using System.Diagnostics;
using System.Net;
using ImActors.Client;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using Orleans.Runtime;

namespace ImActors.Integration.Tests.Users;

/// <summary>A ban closes every live session at once, across edges, keeps every device out while it stands, and outlives the grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BanTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ABanDuringLiveSessions_ClosesThemAllWithinASecond_AndLaterHellosAreRefused_UntilUnbanned()
    {
        using var admin = new AdminClient(cluster.Edge);
        var ann = Clients.NewUser("ann");
        await using var tcp = await RawConnection.OpenTcpAsync(cluster.Edge);
        await using var ws = await RawConnection.OpenWebSocketAsync(cluster.EdgeB);
        await tcp.HelloAsync(ann, "phone");
        await ws.HelloAsync(ann, "laptop");

        var clock = Stopwatch.StartNew();
        var banned = await admin.PutAsync($"/api/v1/users/{ann}/ban", new { reason = "spam reports" });
        var closings = await Task.WhenAll(tcp.ClosedWithAsync(), ws.ClosedWithAsync());
        var elapsed = clock.Elapsed;

        Assert.True(banned.Status == HttpStatusCode.OK, banned.Text);
        Assert.True(banned.Json.GetProperty("banned").GetBoolean());
        Assert.All(closings, c => Assert.Equal((ErrorCodes.Banned, "spam reports"), (c.Code, c.Reason)));
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"closed after {elapsed.TotalMilliseconds:0} ms");

        var refused = await Assert.ThrowsAsync<ImClientException>(() => Clients.ConnectAsync(cluster.Edge.Tcp, ann));
        Assert.Equal(ErrorCodes.Banned, refused.Code);
        Assert.Contains("spam reports", refused.Reason);

        Assert.True((await admin.DeleteAsync($"/api/v1/users/{ann}/ban")).Json.GetProperty("lifted").GetBoolean());
        await using var back = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        Assert.False((await admin.GetAsync($"/api/v1/users/{ann}/ban")).Json.GetProperty("banned").GetBoolean());
    }

    [Fact]
    public async Task TheBan_OutlivesTheGrainsActivation()
    {
        var ann = Clients.NewUser("ann");
        await cluster.Grains.GetGrain<IUserGrain>(ann).Ban("chargeback");

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromSeconds(1));
        await using var raw = await RawConnection.OpenTcpAsync(cluster.EdgeB);
        await raw.SendAsync(FrameKind.Hello, new HelloFrame { Token = Clients.Token(ann), Device = "phone", Versions = [1] });

        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal((ErrorCodes.Banned, "banned", false), (error.Code, error.Name, error.Retryable));
        Assert.Contains("chargeback", error.Reason);
        Assert.Equal("chargeback", (await cluster.Grains.GetGrain<IUserGrain>(ann).GetBan())?.Reason);
    }

    [Fact]
    public async Task UnbanningAUserWhoIsNotBanned_LiftsNothing()
    {
        Assert.False(await cluster.Grains.GetGrain<IUserGrain>(Clients.NewUser("ann")).Unban());
    }
}
