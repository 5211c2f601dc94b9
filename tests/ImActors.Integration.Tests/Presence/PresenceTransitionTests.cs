using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Presence;

/// <summary>Online and offline: the grace after the last session, last seen, and the users of an edge that is gone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PresenceTransitionTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Grace = ClusterFixture.Presence.OfflineGrace;

    [Fact]
    public async Task ReconnectWithinTheGrace_ShowsNoOffline_AndAfterTheGraceTheUserIsOfflineWithLastSeen()
    {
        var (watcher, user) = (Clients.NewUser("watcher"), Clients.NewUser("user"));
        await using var watching = await Clients.ConnectAsync(cluster.Edge.Tcp, watcher);
        var log = new PresenceLog(watching);
        var never = Assert.Single(await watching.WatchAsync([user]));
        Assert.False(never.Online);
        Assert.Null(never.LastSeen);

        var phone = await Clients.ConnectAsync(cluster.EdgeB.Tcp, user, device: "phone");
        var (online, _) = await log.NextAsync(user, p => p.Online);
        Assert.Equal("phone", Assert.Single(online.Devices).Device);

        // Away and back well inside the grace: the watcher may hear the new connection, never an offline.
        await phone.DisposeAsync();
        phone = await Clients.ConnectAsync(cluster.EdgeB.Tcp, user, device: "phone");
        var heard = await log.DuringAsync(Grace + TimeSpan.FromSeconds(1));
        Assert.All(heard, p => Assert.True(p.Online, PresenceLog.Describe(p)));
        Assert.True((await cluster.Grains.GetGrain<IUserPresence>(user).GetPresence()).Online);

        var left = DateTimeOffset.UtcNow;
        await phone.DisposeAsync();
        var (offline, before) = await log.NextAsync(user, p => !p.Online);
        var wentOffline = DateTimeOffset.UtcNow;
        Assert.All(before, p => Assert.True(p.Online));
        Assert.Empty(offline.Devices);
        Assert.NotNull(offline.LastSeen);
        Assert.InRange(offline.LastSeen.Value, left.AddMilliseconds(-50), wentOffline);
        Assert.True(wentOffline - left >= Grace - TimeSpan.FromMilliseconds(100), $"offline after {(wentOffline - left).TotalMilliseconds:0} ms, inside the grace");
    }

    [Fact]
    public async Task LastSeen_SurvivesTheGrainsDeactivation()
    {
        var user = Clients.NewUser("user");
        await (await Clients.ConnectAsync(cluster.Edge.Tcp, user)).DisposeAsync();
        await Eventually.TrueAsync(async () => !(await cluster.Grains.GetGrain<IUserPresence>(user).GetPresence()).Online);
        var before = await cluster.Grains.GetGrain<IUserPresence>(user).GetPresence();

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var after = await cluster.Grains.GetGrain<IUserPresence>(user).GetPresence();
        Assert.False(after.Online);
        Assert.NotNull(after.LastSeen);
        Assert.Equal(before.LastSeen!.Value.ToUnixTimeMilliseconds(), after.LastSeen!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task UsersOfAnEdgeWhoseLeaseLapsed_GoOffline_AndWatchersAreTold()
    {
        var (watcher, user) = (Clients.NewUser("watcher"), Clients.NewUser("user"));
        var (edgeId, run) = (Clients.NewUser("crashing-edge"), Guid.NewGuid());
        // An edge that registers once with a short lease and is never heard of again: a crash, as the cluster sees it.
        var endpoint = new SilentEdge();
        var reference = cluster.Cluster.Client.CreateObjectReference<IEdgeDelivery>(endpoint);
        await cluster.Grains.GetGrain<IEdgeDirectoryGrain>(edgeId).Register(reference, run, TimeSpan.FromSeconds(2));
        await cluster.Grains.GetGrain<IUserSessions>(user).Connect(new SessionInfo("phone", "ios", edgeId, run, 1, DateTimeOffset.UtcNow));

        await using var watching = await Clients.ConnectAsync(cluster.Edge.Tcp, watcher);
        var log = new PresenceLog(watching);
        Assert.True(Assert.Single(await watching.WatchAsync([user])).Online);

        var (offline, _) = await log.NextAsync(user, p => !p.Online, TimeSpan.FromSeconds(20));
        Assert.Empty(offline.Devices);
        Assert.Empty(await cluster.Grains.GetGrain<IUserGrain>(user).GetSessions());
        GC.KeepAlive(endpoint);
    }
}
