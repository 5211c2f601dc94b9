using ImActors.Integration.Tests.Infrastructure;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// The silo's group commit on the embedded store, between sends (decision 137): writes nobody waits for (Orleans'
/// membership, grain state) still become durable within a round, and a store that wrote nothing is not committed.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class BackgroundCommitTests
{
    [Fact]
    public async Task AnIdleStore_IsNotCommitted_AndAWriteNobodyWaitsFor_SurvivesAKill()
    {
        string copy;
        var store = new EmbeddedStore();
        try
        {
            await store.StartAsync();
            var commits = 0;
            var commit = store.SiloCommit(() => Interlocked.Increment(ref commits));
            // A send's round first, so that whatever the store wrote at its start is committed.
            await commit.WaitAsync();
            await Task.Delay(300);

            var idleFrom = Volatile.Read(ref commits);
            await Task.Delay(500);
            // 50 rounds of 10 ms came and went: an idle store, none of them committed.
            Assert.Equal(idleFrom, Volatile.Read(ref commits));

            // As Orleans writes its membership: over a connection, with no commit asked for.
            using (var mux = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString))
            {
                await mux.GetDatabase().StringSetAsync("membership-like", "row");
            }

            await Eventually.TrueAsync(() => Volatile.Read(ref commits) > idleFrom);
            copy = store.CopyDataAsIfKilled();
        }
        finally
        {
            await store.StopAsync();
        }

        await using var recovered = new EmbeddedStore(copy);
        await recovered.StartAsync();
        using var again = await ConnectionMultiplexer.ConnectAsync(recovered.ConnectionString);
        Assert.Equal("row", (string?)await again.GetDatabase().StringGetAsync("membership-like"));
    }
}
