using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Presence;

/// <summary>Presence asked for: many users in one call, and a group's online members.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PresenceQueryTests(ClusterFixture cluster)
{
    [Fact]
    public async Task BatchQuery_AnswersEveryUserInOrder_ForServicesAndClients()
    {
        var (online, offline, never, asker) = (Clients.NewUser("online"), Clients.NewUser("offline"), Clients.NewUser("never"), Clients.NewUser("asker"));
        await using var onlineClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, online, device: "phone");
        await (await Clients.ConnectAsync(cluster.Edge.Tcp, offline)).DisposeAsync();
        var directory = cluster.Grains.GetGrain<IPresenceDirectory>(IPresenceDirectory.Key);
        await Eventually.TrueAsync(async () => (await directory.GetPresence([offline]))[0] is { Online: false });

        var answer = await directory.GetPresence([never, online, offline]);
        Assert.Equal([never, online, offline], answer.Select(p => p.User));
        Assert.Equal((false, (DateTimeOffset?)null), (answer[0].Online, answer[0].LastSeen));
        Assert.True(answer[1].Online);
        Assert.Equal("phone", Assert.Single(answer[1].Devices).Device);
        Assert.False(answer[2].Online);
        Assert.NotNull(answer[2].LastSeen);

        await using var askerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, asker);
        var overWire = await askerClient.GetPresenceAsync([never, online, offline]);
        Assert.Equal([false, true, false], overWire.Select(p => p.Online));
        Assert.Equal(answer[2].LastSeen!.Value.ToUnixTimeMilliseconds(), overWire[2].LastSeen!.Value.ToUnixTimeMilliseconds());

        var tooMany = await Assert.ThrowsAsync<RefusedException>(() => directory.GetPresence(Enumerable.Range(0, 1001).Select(i => $"u{i}").ToArray()));
        Assert.Equal(Refusal.InvalidRequest, tooMany.Reason);
        Assert.Equal(Refusal.InvalidRequest, (await Assert.ThrowsAsync<RefusedException>(() => directory.GetPresence(["{brace}"]))).Reason);
    }

    [Fact]
    public async Task GroupOnlineMembers_AreCountedAcrossEdges_AndPaged()
    {
        var group = Clients.NewUser("team");
        var members = Enumerable.Range(0, 5).Select(i => Clients.NewUser($"m{i}")).Order(StringComparer.Ordinal).ToArray();
        var owner = Clients.NewUser("owner");
        await cluster.Grains.GetGrain<IGroupGrain>(group).Create(Actor.OfUser(owner), members, open: false);

        // Members 0 and 1 on one edge, 2 and 3 on the other (3 with two devices), 4 and the owner offline.
        await using var c0 = await Clients.ConnectAsync(cluster.Edge.Tcp, members[0]);
        await using var c1 = await Clients.ConnectAsync(cluster.Edge.Tcp, members[1]);
        await using var c2 = await Clients.ConnectAsync(cluster.EdgeB.Tcp, members[2]);
        await using var c3 = await Clients.ConnectAsync(cluster.EdgeB.Tcp, members[3]);
        await using var c3b = await Clients.ConnectAsync(cluster.Edge.Tcp, members[3]);

        var page = await c0.GetOnlineMembersAsync(group, limit: 3);
        Assert.Equal(4, page.Count);
        Assert.Equal(members[..3], page.Users);
        var rest = await c0.GetOnlineMembersAsync(group, after: page.Next, limit: 3);
        Assert.Equal(4, rest.Count);
        Assert.Equal([members[3]], rest.Users);
        Assert.Null(rest.Next);

        var outsider = await Assert.ThrowsAsync<RefusedException>(() =>
            cluster.Grains.GetGrain<IGroupGrain>(group).GetOnlineMembers(Actor.OfUser(Clients.NewUser("outsider")), null, 10));
        Assert.Equal(Refusal.NotMember, outsider.Reason);
    }
}
