using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Events;

/// <summary>
/// <c>user.offline</c> after the grace on the paths with no clean logout: an edge that crashed, and a silo lost while
/// it ran the user's grace timer (what that leaves in the store, with the user's grain not active anywhere).
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class OfflineEventTests(EventsFixture events)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task UserOfACrashedEdge_GoesOffline_AsAnEvent()
    {
        var user = Clients.NewUser("ivan");
        var (edgeId, run) = (Clients.NewUser("crashing-edge"), Guid.NewGuid());
        var endpoint = new SilentEdge();
        var reference = events.Cluster.Client.CreateObjectReference<IEdgeDelivery>(endpoint);
        await events.Grains.GetGrain<IEdgeDirectoryGrain>(edgeId).Register(reference, run, TimeSpan.FromSeconds(2));
        await events.Grains.GetGrain<IUserSessions>(user).Connect(new SessionInfo("phone", "ios", edgeId, run, 1, DateTimeOffset.UtcNow));

        await Eventually.TrueAsync(() => events.Receiver.TakenAbout(user).Any(e => e.Type == EventTypes.UserOffline), Bound);
        Assert.Equal([EventTypes.UserOnline, EventTypes.UserOffline], events.Receiver.TakenAbout(user).Select(e => e.Type));
        GC.KeepAlive(endpoint);
    }

    [Fact]
    public async Task SiloLostWithinTheGrace_StillReportsOffline()
    {
        var user = Clients.NewUser("judy");
        // What the store holds after the user's last session ended and the silo running the grace timer died: the stream
        // was told "online", no session is stored, the grace's end is in the past, and no activation is left to report.
        await events.Store.StringSetAsync($"im:{{{user}}}:online", "1");
        await events.Store.SortedSetAddAsync("im:presence:graces", user, DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeMilliseconds());

        await Eventually.TrueAsync(() => events.Receiver.TakenAbout(user).Any(e => e.Type == EventTypes.UserOffline), Bound);
        Assert.Single(events.Receiver.TakenAbout(user));
        await Eventually.TrueAsync(async () => await events.Store.SortedSetScoreAsync("im:presence:graces", user) is null);
    }
}
