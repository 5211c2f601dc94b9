using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// A store that recovers a prefix of an append's writes (the embedded store logs a script's writes one by one)
/// can hold a seq that was handed out but whose entry was never written. Such a send was never ACKed; its seq is a
/// hole readers step over, not a message they wait for.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InterruptedAppendTests(ClusterFixture cluster)
{
    [Fact]
    public async Task HolesInAnInbox_AreSteppedOver_AtAPageStart_InsideAPage_AndAtTheEnd()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        for (var i = 1; i <= 230; i++)
        {
            await aliceClient.SendTextAsync(bob, $"m{i}");
        }

        // Seq 101 starts the second sync page (100 each), 150 and 151 sit inside it, 230 is the last one.
        long[] holes = [5, 101, 150, 151, 230];
        await DeleteEntriesAsync($"im:{{{bob}}}:", holes);

        // A page that stepped over holes still says whether entries follow it.
        var first = await cluster.Grains.GetGrain<IUserGrain>(bob).Sync(0, 100, 1 << 20);
        Assert.Equal((99, true), (first.Messages.Count, first.HasMore));

        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.WebSocket, bob, resumeAfter: 0);
        var received = await bobClient.ReceiveAsync(230 - holes.Length);

        var expected = Enumerable.Range(1, 230).Where(i => !holes.Contains(i)).ToList();
        Assert.Equal(expected.Select(i => (long)i), received.Select(m => m.Seq));
        Assert.Equal(expected.Select(i => $"m{i}"), received.Select(m => m.Text));
        Assert.True(await bobClient.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));

        // The next message is not held back behind the hole at the end.
        await aliceClient.SendTextAsync(bob, "after");
        Assert.Equal((231L, "after"), (await bobClient.ReceiveAsync(1)).Select(m => (m.Seq, m.Text)).Single());
    }

    [Fact]
    public async Task HolesInAGroupTimeline_AreSteppedOver()
    {
        var (alice, bob, group) = (Clients.NewUser("alice"), Clients.NewUser("bob"), Clients.NewUser("team"));
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        await aliceClient.CreateGroupAsync(group, [bob]);
        var seqs = new Dictionary<int, long>();
        for (var i = 1; i <= 120; i++)
        {
            seqs[i] = (await aliceClient.SendGroupTextAsync(group, $"g{i}")).Seq;
        }

        int[] holes = [1, 60, 101];
        await DeleteEntriesAsync($"im:g:{{{group}}}:", holes.Select(h => seqs[h]));

        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob, resumeAfter: 0, resumeGroups: new Dictionary<string, long> { [group] = 0 });
        var received = await bobClient.ReceiveGroupUntilAsync(group, seqs[120]);

        var expected = Enumerable.Range(1, 120).Where(i => !holes.Contains(i)).ToList();
        Assert.Equal(expected.Select(i => $"g{i}"), received.Where(m => m.Text?.StartsWith('g') == true).Select(m => m.Text));
    }

    /// <summary>Removes the entries at <paramref name="seqs"/> of a log, as a crash between an append's INCR and its SET leaves them.</summary>
    private async Task DeleteEntriesAsync(string logPrefix, IEnumerable<long> seqs)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        foreach (var seq in seqs)
        {
            Assert.True(await redis.GetDatabase().KeyDeleteAsync($"{logPrefix}m:{seq}"), $"no entry at {seq}");
        }
    }
}
