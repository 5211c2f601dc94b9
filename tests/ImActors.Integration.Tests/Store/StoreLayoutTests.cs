using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// Traffic adds keys to the store, it never grows a stored value. A store that copies a value when it changes
/// (Garnet's log, once the value has left its mutable region, and on every replay after a crash) then copies one
/// message per update, not a whole inbox or a list of every peer: what keeps a restart after a kill short.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StoreLayoutTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Traffic_AddsKeys_ButGrowsNoStoredValue()
    {
        await using var chat = await Pair.StartAsync(cluster);
        var (alice, bob, group, a, b, redis) = (chat.Alice, chat.Bob, chat.Group, chat.A, chat.B, chat.Redis);

        await ChatAsync(a, b, alice, bob, group, rounds: 3);
        var before = await SizesAsync(redis, alice, bob, group);
        await ChatAsync(a, b, alice, bob, group, rounds: 30);
        var after = await SizesAsync(redis, alice, bob, group);

        Assert.True(after.Count > before.Count, "the messages were stored as keys of their own");
        // Counters gain digits (3 -> 63 is one more byte); anything that grows with the messages is a value that grew.
        var grown = before.Where(k => after.TryGetValue(k.Key, out var size) && size > k.Value + 2)
            .Select(k => $"{k.Key}: {k.Value} -> {after[k.Key]}").ToList();
        Assert.True(grown.Count == 0, "grown values: " + string.Join("; ", grown));
    }

    [Fact]
    public async Task GroupMessagesAndGroupReadMarks_TouchOnlyTheGroupsKeys()
    {
        await using var chat = await Pair.StartAsync(cluster);
        var (alice, bob, group, a, b, redis) = (chat.Alice, chat.Bob, chat.Group, chat.A, chat.B, chat.Redis);
        var before = await DumpsAsync(redis, alice, bob);

        SendReceipt last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await a.SendGroupTextAsync(group, $"all {i}");
        }

        var read = await b.MarkReadAsync(ConversationRef.InGroup(group), last.Seq);
        var after = await DumpsAsync(redis, alice, bob);

        // One hash tag per step is what lets a sharded store hold the group on one shard and its members elsewhere.
        Assert.Equal((last.Seq, 0L), (read.ReadSeq, read.Unread));
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, k => Assert.True(k.Value.SequenceEqual(after[k.Key]), $"{k.Key} changed"));
    }

    /// <summary>Every key of the users, with its serialized value.</summary>
    private static async Task<Dictionary<string, byte[]>> DumpsAsync(ConnectionMultiplexer redis, params string[] tags)
    {
        var dumps = new Dictionary<string, byte[]>();
        foreach (var tag in tags)
        {
            await foreach (var key in KeysOf(redis, tag))
            {
                dumps[key!] = await redis.GetDatabase().KeyDumpAsync(key) ?? [];
            }
        }

        return dumps;
    }

    /// <summary>Alice and Bob connected, both in a group Alice created, and a connection to the store.</summary>
    private sealed record Pair(string Alice, string Bob, string Group, ImClient A, ImClient B, ConnectionMultiplexer Redis) : IAsyncDisposable
    {
        public static async Task<Pair> StartAsync(ClusterFixture cluster)
        {
            var (alice, bob, group) = (Clients.NewUser("alice"), Clients.NewUser("bob"), Clients.NewUser("team"));
            var a = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
            var b = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);
            await a.CreateGroupAsync(group, [bob]);
            return new Pair(alice, bob, group, a, b, await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString));
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }

    // Both ways 1:1 and in the group, then both read everything: what a conversation does all day.
    private static async Task ChatAsync(ImClient a, ImClient b, string alice, string bob, string group, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            await a.SendTextAsync(bob, $"hi {i}");
            await b.SendTextAsync(alice, $"hello {i}");
            await a.SendGroupTextAsync(group, $"all {i}");
            await b.SendGroupTextAsync(group, $"yes {i}");
        }

        foreach (var client in new[] { a, b })
        {
            foreach (var conversation in await client.GetConversationsAsync())
            {
                var where = conversation.Type == "group" ? ConversationRef.InGroup(conversation.Id) : ConversationRef.With(conversation.Id);
                await client.MarkReadAsync(where, conversation.LastSeq);
            }
        }
    }

    /// <summary>Each key of the two users and the group: a string's length, a collection's element count.</summary>
    private static async Task<Dictionary<string, long>> SizesAsync(ConnectionMultiplexer redis, params string[] tags)
    {
        var db = redis.GetDatabase();
        var sizes = new Dictionary<string, long>();
        foreach (var tag in tags)
        {
            await foreach (var key in KeysOf(redis, tag))
            {
                sizes[key!] = await db.KeyTypeAsync(key) switch
                {
                    RedisType.String => await db.StringLengthAsync(key),
                    RedisType.Hash => await db.HashLengthAsync(key),
                    RedisType.Set => await db.SetLengthAsync(key),
                    RedisType.SortedSet => await db.SortedSetLengthAsync(key),
                    RedisType.List => await db.ListLengthAsync(key),
                    var other => throw new InvalidOperationException($"{key} is a {other}"),
                };
            }
        }

        return sizes;
    }

    // A tag's keys share its hash slot, so one server holds them all: on a Redis Cluster the master of that slot, which
    // a scan of any other node would not see.
    private static IAsyncEnumerable<RedisKey> KeysOf(ConnectionMultiplexer redis, string tag) =>
        redis.GetServer((RedisKey)$"{{{tag}}}").KeysAsync(pattern: $"*{{{tag}}}*");
}
