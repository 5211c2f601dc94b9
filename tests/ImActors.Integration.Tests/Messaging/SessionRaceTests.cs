using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Messaging;

[Collection(ClusterCollection.Name)]
public sealed class SessionRaceTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ConnectThatArrivesLate_DoesNotReplaceTheDevicesNewerConnection()
    {
        var id = Clients.NewUser("late");
        var user = cluster.Grains.GetGrain<IUserSessions>(id);
        var now = DateTimeOffset.UtcNow;
        // Sessions on a live edge, with connection ids it does not hold: closing one there is a no-op.
        var edge = cluster.Edge.Identity;
        var newer = new SessionInfo("phone", "test", edge.EdgeId, edge.Incarnation, -2, now);
        var older = new SessionInfo("phone", "test", edge.EdgeId, edge.Incarnation, -1, now - TimeSpan.FromSeconds(3));

        await user.Connect(newer);
        var refused = await Assert.ThrowsAsync<RefusedException>(() => user.Connect(older));

        Assert.Equal(Refusal.Superseded, refused.Reason);
        Assert.Equal(newer, Assert.Single(await cluster.Grains.GetGrain<IUserGrain>(id).GetSessions(), s => s.Device == "phone"));
    }
}
