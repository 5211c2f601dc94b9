using ImActors.Integration.Tests.Infrastructure;
using ImActors.Silo.Store;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// The flushes that make an ACK survive a power cut (decision 136): after each commit it must find the store's real
/// append-only file and follow it from segment to segment; a checkpoint must flush its own files before it completes.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class AofFileSyncTests
{
    [Fact]
    public async Task OnTheEmbeddedStore_ItFindsTheSegmentTheCommitsWentTo()
    {
        await using var store = await StoreWithOneCommittedWriteAsync();

        using var sync = new AofFileSync(Path.Combine(store.DataDir, "checkpoints", "AOF"));
        sync.Sync();

        // The store's file layout is Garnet's, not ours: an upgrade that renames it must fail here, not go unsynced.
        Assert.Equal(0, sync.Segment);
    }

    [Fact]
    public async Task ACheckpoint_FlushesItsFiles_BeforeItCompletes()
    {
        await using var store = await StoreWithOneCommittedWriteAsync();
        var before = store.CheckpointSync!.Flushes;

        await using var mux = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(store.ConnectionString + ",allowAdmin=true");
        await mux.GetServer(mux.GetEndPoints()[0]).ExecuteAsync("SAVE");

        Assert.True(store.CheckpointSync.Flushes > before, "the checkpoint completed without flushing its files");
        // Where the flush looks is Garnet's layout: a checkpoint that wrote elsewhere would go unflushed.
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(store.DataDir, "checkpoints", "Store"), "info.dat*", SearchOption.AllDirectories));
    }

    /// <summary>A running embedded store whose append-only file holds one committed write.</summary>
    private static async Task<EmbeddedStore> StoreWithOneCommittedWriteAsync()
    {
        var store = new EmbeddedStore();
        try
        {
            await store.StartAsync();
            await store.Scripts.Evaluate("return redis.call('SET', KEYS[1], ARGV[1])", ["im:{alice}:seq"], ["1"]);
            await store.Commit().WaitAsync();
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public void WhenTheStoreMovesToNewSegments_TheNextSyncFollowsToTheNewest()
    {
        var dir = Directory.CreateTempSubdirectory("imactors-aof-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "aof.log.3"), [1]);
            File.WriteAllBytes(Path.Combine(dir, "aof.log.4"), [1]);
            using var sync = new AofFileSync(dir);

            sync.Sync();
            Assert.Equal(4, sync.Segment);

            // Two segments filled between commits; the oldest ones deleted by a checkpoint's truncation meanwhile.
            File.WriteAllBytes(Path.Combine(dir, "aof.log.5"), [1]);
            File.WriteAllBytes(Path.Combine(dir, "aof.log.6"), [1]);
            File.Delete(Path.Combine(dir, "aof.log.3"));
            File.Delete(Path.Combine(dir, "aof.log.4"));
            sync.Sync();
            Assert.Equal(6, sync.Segment);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BeforeTheStoreHasWrittenAnything_ThereIsNothingToSync()
    {
        var dir = Directory.CreateTempSubdirectory("imactors-aof-").FullName;
        try
        {
            using var sync = new AofFileSync(dir);
            sync.Sync();
            Assert.Equal(-1, sync.Segment);

            File.WriteAllBytes(Path.Combine(dir, "aof.log.0"), [1]);
            sync.Sync();
            Assert.Equal(0, sync.Segment);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
