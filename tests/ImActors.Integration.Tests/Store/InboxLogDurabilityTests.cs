using System.Text;
using ImActors.Grains.Inbox;
using ImActors.Grains.Store;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>The inbox log on both stores it runs on: what was ACKed is still there after the store restarts.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class InboxLogDurabilityTests
{
    [Fact]
    public async Task RedisServer_KilledAndRestarted_KeepsEveryAckedMessage_AndTheDedupRecord()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        var acks = await AppendAsync(redis.ConnectionString, Redis, "alice", "bob", 50);

        await redis.KillAsync();
        await redis.StartAsync();

        await AssertIntactAsync(redis.ConnectionString, Redis, "alice", "bob", acks);
    }

    [Fact]
    public async Task EmbeddedGarnet_StoppedAndRestarted_KeepsEveryAckedMessage_AndTheDedupRecord()
    {
        var store = new EmbeddedStore();
        await store.StartAsync();
        var acks = await AppendAsync(store.ConnectionString, mux => store.Connect(mux), "alice", "bob", 50);
        await store.StopAsync();

        await using var again = new EmbeddedStore(store.DataDir);
        await again.StartAsync();
        await AssertIntactAsync(again.ConnectionString, mux => again.Connect(mux), "alice", "bob", acks);
    }

    [Fact]
    public async Task CountRetention_KeepsTheNewestEntries_AndSyncSaysWhatWasTrimmed()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        using var mux = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var log = new InboxLog(Redis(mux), Options.Create(new InboxOptions { MaxEntries = 10 }));
        for (var i = 0; i < 25; i++)
        {
            await log.AppendDirectAsync(Request("alice", "bob", $"c{i}", $"m{i}"), $"id{i}", 1000 + i);
        }

        var page = await log.ReadAsync("bob", 0, 100, 1 << 20);

        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), page.Messages.Select(m => m.Seq));
        Assert.Equal(25, page.InboxSeq);
        // Seqs 1-15 were removed by retention, not lost: the page says so, and the reader's history starts there.
        Assert.Equal(15, page.Trimmed);
        Assert.Equal(15, page.Floor);

        // A cursor already past the trimmed seqs is told the same: it is a property of the log, not of the read.
        var later = await log.ReadAsync("bob", 20, 100, 1 << 20);
        Assert.Equal(Enumerable.Range(21, 5).Select(i => (long)i), later.Messages.Select(m => m.Seq));
        Assert.Equal(15, later.Trimmed);
    }

    [Fact]
    public async Task AgeRetention_RemovesOnlyOlderEntries_AcrossBatches_AndLeavesTheSeqAlone()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        using var mux = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var log = new InboxLog(Redis(mux), Options.Create(new InboxOptions()));
        await AppendTimedAsync(log, 250);

        // Entries at 1000..1209 are older than 1210: more than one batch of the trim.
        Assert.Equal(210, await log.TrimOlderThanAsync("bob", DateTimeOffset.FromUnixTimeMilliseconds(1210)));
        Assert.Equal(0, await log.TrimOlderThanAsync("bob", DateTimeOffset.FromUnixTimeMilliseconds(1210)));

        var page = await log.ReadAsync("bob", 0, 100, 1 << 20);
        Assert.Equal(Enumerable.Range(211, 40).Select(i => (long)i), page.Messages.Select(m => m.Seq));
        Assert.Null(await log.ReadAtAsync("bob", 210));
        Assert.Equal(250, await log.GetSeqAsync("bob"));
        // The sender's copies are the sender's to trim.
        Assert.Equal(250, (await log.ReadAsync("alice", 0, 500, 1 << 20)).Messages.Count);
    }

    [Fact]
    public async Task AgeRetention_StepsOverSeqsWithNoEntry()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        using var mux = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var log = new InboxLog(Redis(mux), Options.Create(new InboxOptions()));
        await AppendTimedAsync(log, 250);

        // Sends a crash cut short (decision 79): the first seq, the first of the trim's second batch, and a run of 100,
        // a whole batch with no entry at all.
        var holes = new long[] { 1, 101 }.Concat(Enumerable.Range(120, 100).Select(i => (long)i)).ToList();
        foreach (var seq in holes)
        {
            Assert.True(await mux.GetDatabase().KeyDeleteAsync($"im:{{bob}}:m:{seq}"));
        }

        // Entries at 1000..1239 (seqs 1..240) are older than 1240.
        Assert.Equal(240 - holes.Count, await log.TrimOlderThanAsync("bob", DateTimeOffset.FromUnixTimeMilliseconds(1240)));

        var page = await log.ReadAsync("bob", 0, 100, 1 << 20);
        Assert.Equal(Enumerable.Range(241, 10).Select(i => (long)i), page.Messages.Select(m => m.Seq));
        Assert.Equal(240, (long)await mux.GetDatabase().StringGetAsync("im:{bob}:floor"));
    }

    // Messages from alice to bob, message i stamped at 1000 + i ms: seq i + 1 in both inboxes.
    private static async Task AppendTimedAsync(InboxLog log, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await log.AppendDirectAsync(Request("alice", "bob", $"c{i}", $"m{i}"), $"id{i}", 1000 + i);
        }
    }

    // Redis in the tests runs with appendfsync always: its replies follow its commit.
    private static StoreConnection Redis(IConnectionMultiplexer mux) => new(mux, new NoCommitWait());

    private static async Task<List<SendResult>> AppendAsync(
        string connection, Func<IConnectionMultiplexer, StoreConnection> store, string from, string to, int count)
    {
        using var mux = await ConnectionMultiplexer.ConnectAsync(connection);
        var log = new InboxLog(store(mux), Options.Create(new InboxOptions()));
        var acks = new List<SendResult>();
        for (var i = 0; i < count; i++)
        {
            acks.Add(await log.AppendDirectAsync(Request(from, to, $"c{i}", $"m{i}"), $"id{i}", 1000 + i));
        }

        return acks;
    }

    private static async Task AssertIntactAsync(
        string connection, Func<IConnectionMultiplexer, StoreConnection> store, string from, string to, List<SendResult> acks)
    {
        using var mux = await ConnectionMultiplexer.ConnectAsync(connection);
        var log = new InboxLog(store(mux), Options.Create(new InboxOptions()));
        var recipient = await log.ReadAsync(to, 0, 500, 1 << 20);
        var sender = await log.ReadAsync(from, 0, 500, 1 << 20);

        Assert.Equal(acks.Select(a => a.RecipientSeq), recipient.Messages.Select(m => m.Seq));
        Assert.Equal(acks.Select(a => a.Seq), sender.Messages.Select(m => m.Seq));
        Assert.Equal(acks.Select((_, i) => $"m{i}"), recipient.Messages.Select(m => Encoding.UTF8.GetString(m.Body)));
        var retry = await log.AppendDirectAsync(Request(from, to, "c7", "m7"), "another-id", 9999);
        Assert.True(retry.Duplicate);
        Assert.Equal(acks[7], retry with { Duplicate = false });
        Assert.Equal(acks.Count, await log.GetSeqAsync(to));
    }

    private static SendRequest Request(string from, string to, string cmid, string text) =>
        new(from, "device", cmid, to, "text/plain", Encoding.UTF8.GetBytes(text));
}
