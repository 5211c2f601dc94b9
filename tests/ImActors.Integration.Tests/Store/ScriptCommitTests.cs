using ImActors.Integration.Tests.Infrastructure;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// The embedded store runs a script atomically but logs its writes one by one: a commit that lands inside a script
/// makes part of it durable, and a kill then recovers that part (decision 79). The group commit starts its commits
/// with a command on the grains' store connection, which the store runs after the scripts sent before it.
/// </summary>
[Collection(TimingCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class ScriptCommitTests
{
    // Enough writes that the script runs for a few hundred milliseconds: a commit asked for once it has begun lands inside it.
    private const int Writes = 300_000;
    private const string Fill = "for i = 1, tonumber(ARGV[1]) do redis.call('SET', KEYS[1] .. i, i) end return 1";

    [Fact]
    public async Task ACommitInsideAScript_MakesPartOfItDurable_OnTheStoreItself()
    {
        // Why commits wait for the scripts running. If a future store logs a script as one unit, this fails, and the
        // fence can go.
        var recovered = await RecoveredWritesAsync(throughGroupCommit: false);

        Assert.InRange(recovered, 1, Writes - 1);
    }

    [Fact]
    public async Task ACommitAskedForInsideAScript_ThroughTheGroupCommit_CoversAllOfIt()
    {
        var recovered = await RecoveredWritesAsync(throughGroupCommit: true);

        Assert.Equal(Writes, recovered);
    }

    /// <summary>
    /// Runs the script in-process, asks for one commit once it has begun to write (straight to the store, or through
    /// the group commit, as a silo does), and counts the script's writes in a copy of the data as a
    /// kill leaves it. Nothing else commits: the store's own commit timer is off (the group commit does it).
    /// </summary>
    private static async Task<int> RecoveredWritesAsync(bool throughGroupCommit)
    {
        var store = new EmbeddedStore();
        string copy;
        await store.StartAsync();
        try
        {
            var commit = store.Commit();
            var prefix = "fill:" + Guid.NewGuid().ToString("N")[..6] + ":";
            // A connection that watches the script's writes, warmed up first: the script must not be halfway through
            // before the test is ready to commit.
            using var watcher = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
            var db = watcher.GetDatabase();
            await db.KeyExistsAsync(prefix + 1);
            await store.CommitNowAsync();

            // In a thread of its own: an in-process script runs in the thread that calls it.
            var scripts = store.Scripts;
            var script = Task.Run(() => scripts.Evaluate(Fill, [prefix], [Writes]));
            while (!await db.KeyExistsAsync(prefix + 1))
            {
                Assert.False(script.IsCompleted, "the script ended before the test saw it write");
            }

            Assert.False(await db.KeyExistsAsync(prefix + Writes), "the script ended before the test could commit inside it");
            await (throughGroupCommit ? commit.WaitAsync() : store.CommitNowAsync());
            await script;
            Assert.True(await db.KeyExistsAsync(prefix + Writes));
            copy = store.CopyDataAsIfKilled();
        }
        finally
        {
            await store.StopAsync();
        }

        await using var recovered = new EmbeddedStore(copy);
        await recovered.StartAsync();
        using var again = await ConnectionMultiplexer.ConnectAsync(recovered.ConnectionString);
        var count = 0;
        await foreach (var _ in again.GetServers().Single().KeysAsync(pattern: "fill:*", pageSize: 10_000))
        {
            count++;
        }

        return count;
    }
}
