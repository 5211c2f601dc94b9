using ImActors.Client;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Presence;

/// <summary>Watch lists: a snapshot, a push per change, one watch and one push per edge, throttling, limits, reconnects.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PresenceWatchTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Watch_AnswersASnapshot_ThenPushesEachChange_UntilUnwatched()
    {
        var (watcher, user) = (Clients.NewUser("watcher"), Clients.NewUser("user"));
        await using var phone = await Clients.ConnectAsync(cluster.EdgeB.Tcp, user, device: "phone");
        await using var watching = await Clients.ConnectAsync(cluster.Edge.Tcp, watcher);
        var log = new PresenceLog(watching);

        var snapshot = Assert.Single(await watching.WatchAsync([user]));
        Assert.True(snapshot.Online);
        Assert.Equal("phone", Assert.Single(snapshot.Devices).Device);

        await using (await Clients.ConnectAsync(cluster.EdgeB.Tcp, user, device: "laptop"))
        {
            var (both, _) = await log.NextAsync(user, p => p.Devices.Count == 2);
            Assert.Equal(["laptop", "phone"], both.Devices.Select(d => d.Device));
        }

        var (phoneOnly, _) = await log.NextAsync(user, p => p.Devices.Count == 1);
        Assert.Equal("phone", phoneOnly.Devices[0].Device);

        Assert.Equal(1, await watching.UnwatchAsync([user]));
        await using (await Clients.ConnectAsync(cluster.EdgeB.Tcp, user, device: "tablet"))
        {
            Assert.Empty(await log.DuringAsync(ClusterFixture.Presence.PushWindow * 3));
        }
    }

    [Fact]
    public async Task TwoWatchersOnOneEdge_CostOneWatchCall_AndOnePushPerChange()
    {
        var (first, second, user) = (Clients.NewUser("first"), Clients.NewUser("second"), Clients.NewUser("user"));
        await using var firstClient = await Clients.ConnectAsync(cluster.Edge.Tcp, first);
        await using var secondClient = await Clients.ConnectAsync(cluster.Edge.Tcp, second);
        var (firstLog, secondLog) = (new PresenceLog(firstClient), new PresenceLog(secondClient));

        var calls = cluster.Edge.Watches.WatchCalls;
        await firstClient.WatchAsync([user]);
        await secondClient.WatchAsync([user]);
        Assert.Equal(1, cluster.Edge.Watches.WatchCalls - calls);

        var pushes = cluster.Edge.Stats.PresencePushes;
        await using var phone = await Clients.ConnectAsync(cluster.EdgeB.Tcp, user, device: "phone");
        await firstLog.NextAsync(user, p => p.Online);
        await secondLog.NextAsync(user, p => p.Online);
        Assert.Equal(1, cluster.Edge.Stats.PresencePushes - pushes);
    }

    [Fact]
    public async Task FlappingDevice_IsThrottled_AndTheLastStateWins()
    {
        var (watcher, user) = (Clients.NewUser("watcher"), Clients.NewUser("user"));
        await using var phone = await Clients.ConnectAsync(cluster.EdgeB.Tcp, user, device: "phone");
        await using var watching = await Clients.ConnectAsync(cluster.Edge.Tcp, watcher);
        var log = new PresenceLog(watching);
        await watching.WatchAsync([user]);

        // A tablet connecting and dropping twenty times in a row, straight at the user's grain.
        var sessions = cluster.Grains.GetGrain<IUserSessions>(user);
        var edge = cluster.EdgeB.Identity;
        var pushes = cluster.Edge.Stats.PresencePushes;
        for (var i = 0; i < 20; i++)
        {
            var tablet = new SessionInfo("tablet", "android", edge.EdgeId, edge.Incarnation, 1_000_000 + i, DateTimeOffset.UtcNow);
            await sessions.Connect(tablet);
            if (i < 19)
            {
                await sessions.Disconnect(tablet);
            }
        }

        var (last, _) = await log.NextAsync(user, p => p.Devices.Count == 2);
        var heard = await log.DuringAsync(ClusterFixture.Presence.PushWindow * 3);
        var final = heard.LastOrDefault() ?? last;
        Assert.Equal(["phone", "tablet"], final.Devices.Select(d => d.Device));
        // 39 changes; at most one push per window while they lasted, and the one that carries the end state.
        Assert.InRange(cluster.Edge.Stats.PresencePushes - pushes, 1, 6);
        await sessions.Disconnect(new SessionInfo("tablet", "android", edge.EdgeId, edge.Incarnation, 1_000_019, default));
    }

    [Fact]
    public async Task Sdk_WatchesAgainAfterAReconnect()
    {
        var (watcher, user) = (Clients.NewUser("watcher"), Clients.NewUser("user"));
        await using var watching = await Clients.ConnectAsync(cluster.Edge.Tcp, watcher);
        var log = new PresenceLog(watching);
        Assert.False(Assert.Single(await watching.WatchAsync([user])).Online);

        var reconnected = Clients.NextEventAsync<ConnectionEvent>(h => watching.ConnectionChanged += e =>
        {
            if (e.Connected)
            {
                h(e);
            }
        });
        // The edge closes the connection as it does when it stops: the SDK reconnects, and the edge forgot its watches.
        Assert.Single(cluster.Edge.Connections.OfUser(watcher)).Close(ErrorCodes.ShuttingDown, "the edge is stopping");
        await reconnected;
        await Eventually.TrueAsync(() => cluster.Edge.Connections.OfUser(watcher).Length == 1);

        await using var phone = await Clients.ConnectAsync(cluster.EdgeB.Tcp, user, device: "phone");
        var (online, _) = await log.NextAsync(user, p => p.Online);
        Assert.Equal("phone", Assert.Single(online.Devices).Device);
    }

    [Fact]
    public async Task BadInput_IsAnsweredWithAnErrorFrame_AndTheConnectionStaysOpen()
    {
        var watcher = Clients.NewUser("watcher");
        await using var raw = await RawConnection.OpenTcpAsync(cluster.StrictEdge);
        await raw.HelloAsync(watcher);
        var limit = ClusterFixture.StrictWatchLimit;

        await AssertRefusedAsync(raw, "r1", ["fine", "has space"], ErrorCodes.InvalidRequest);
        await AssertRefusedAsync(raw, "r2", [], ErrorCodes.InvalidRequest);
        await AssertRefusedAsync(raw, "r3", Enumerable.Range(0, 1001).Select(i => $"u{i}").ToArray(), ErrorCodes.InvalidRequest);
        await AssertRefusedAsync(raw, "r4", Enumerable.Range(0, limit + 1).Select(i => Clients.NewUser($"u{i}")).ToArray(), ErrorCodes.WatchLimit);

        var watched = Enumerable.Range(0, limit).Select(i => Clients.NewUser($"w{i}")).ToArray();
        var result = Assert.IsType<ResultFrame>((await WatchAsync(raw, "r5", watched))?.Body);
        Assert.Equal(watched, result.Presence!.Select(p => p.User));
        await AssertRefusedAsync(raw, "r6", [Clients.NewUser("one-more")], ErrorCodes.WatchLimit);
        // Watching one already watched again is within the limit.
        Assert.IsType<ResultFrame>((await WatchAsync(raw, "r7", [watched[0]]))?.Body);
    }

    private static async Task AssertRefusedAsync(RawConnection raw, string rid, string[] users, int code)
    {
        var error = Assert.IsType<ErrorFrame>((await WatchAsync(raw, rid, users))?.Body);
        Assert.Equal(code, error.Code);
        Assert.Equal(rid, error.RequestId);
        Assert.False(string.IsNullOrEmpty(error.Reason));
    }

    private static async Task<ImActors.Protocol.Framing.Frame?> WatchAsync(RawConnection raw, string rid, string[] users)
    {
        await raw.SendAsync(FrameKind.Request, new RequestFrame { RequestId = rid, Op = RequestOps.PresenceWatch, Members = users });
        return await raw.ReceiveAsync();
    }
}
