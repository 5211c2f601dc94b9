using System.Text;
using ImActors.Grains.Conversations;
using ImActors.Grains.Events;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Store;
using ImActors.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// Every store step of a 1:1 message touches one user's keys (decision 82), so the message store can be sharded. A
/// redis-server in cluster mode refuses any script over keys of two slots, which the old one-script send did.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class SingleSlotTests(SingleSlotTests.OneNodeCluster cluster) : IClassFixture<SingleSlotTests.OneNodeCluster>
{
    private readonly ConnectionMultiplexer _mux = cluster.Connection;
    private readonly InboxLog _inbox = new(cluster.Store, Options.Create(new InboxOptions()), Options.Create(new StoreShapeOptions { Sharded = true }));
    private readonly ConversationStore _conversations = new(cluster.Store);

    /// <summary>
    /// One redis-server in cluster mode for the class (starting one takes a few seconds), and a plain one for the
    /// one-script send of a store of one shard.
    /// </summary>
    public sealed class OneNodeCluster : IAsyncLifetime
    {
        private readonly RedisServerProcess _redis = new(cluster: true);
        private readonly RedisServerProcess _plain = new();

        public ConnectionMultiplexer Connection { get; private set; } = null!;

        public StoreConnection Store { get; private set; } = null!;

        public ConnectionMultiplexer PlainConnection { get; private set; } = null!;

        public StoreConnection PlainStore { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Task.WhenAll(_redis.StartAsync(), _plain.StartAsync());
            Connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
            Store = new StoreConnection(Connection, new NoCommitWait());
            PlainConnection = await ConnectionMultiplexer.ConnectAsync(_plain.ConnectionString);
            PlainStore = new StoreConnection(PlainConnection, new NoCommitWait());
        }

        public async Task DisposeAsync()
        {
            await Connection.DisposeAsync();
            await PlainConnection.DisposeAsync();
            await _redis.DisposeAsync();
            await _plain.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheStoreRefusesAScriptOverTwoUsersKeys()
    {
        // The check below means something only if the store enforces slots.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => _mux.GetDatabase().ScriptEvaluateAsync(
            "return redis.call('MGET', KEYS[1], KEYS[2])", ["im:{alice}:seq", "im:{bob}:seq"]));
        Assert.Contains("slot", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WithEventsOn_ASendsEvent_GoesIntoAListOfTheRecipientsSlot_ThatTheRecipientsQueueReads()
    {
        var outbox = new EventOutbox(Options.Create(new EventOptions { Enabled = true, Queues = 4 }), Options.Create(new StoreShapeOptions { Sharded = true }));
        var inbox = new InboxLog(cluster.Store, Options.Create(new InboxOptions()), Options.Create(new StoreShapeOptions { Sharded = true }), outbox);
        var (alice, bob) = ("alice-" + Guid.NewGuid().ToString("N")[..6], "bob-" + Guid.NewGuid().ToString("N")[..6]);

        var sent = await inbox.AppendDirectAsync(new SendRequest(alice, "phone", "e1", bob, "text/plain", "hi"u8.ToArray()), Guid.CreateVersion7().ToString("N"), 1);

        var list = outbox.ListOf(bob);
        Assert.Equal(_mux.HashSlot($"im:{{{bob}}}:seq"), _mux.HashSlot(list));
        Assert.Contains(list, outbox.Keys.ListsOf(outbox.Keys.QueueOf(bob)));
        var stored = EventJson.Deserialize((string)(await _mux.GetDatabase().ListRangeAsync(list)).Single()!);
        // The recipient's step alone on a sharded store: the sender's seq comes from a later step, so the event has none.
        Assert.Equal((sent.MessageId, (long?)sent.RecipientSeq, (long?)null), (stored.MessageId, stored.Seq, stored.SenderSeq));
    }

    [Fact]
    public async Task SendsReadsAndReceipts_EachTouchOneUsersKeys()
    {
        var (alice, bob) = ("alice-" + Guid.NewGuid().ToString("N")[..6], "bob-" + Guid.NewGuid().ToString("N")[..6]);
        var first = await SendAsync(alice, bob, "a1", "hi bob");
        Assert.Equal((1L, 1L), (first.Seq, first.RecipientSeq));

        // Bob reads up to his seq 1; Alice learns it as her own seq 1, once.
        var read = await _conversations.MarkDirectReadAsync(bob, alice, first.RecipientSeq);
        Assert.Equal((first.RecipientSeq, 0L), (read.ReadSeq, read.Unread));
        Assert.Equal(first.Seq, await _conversations.MarkPeerReadAsync(alice, bob, first.RecipientSeq));
        Assert.Equal(0, await _conversations.MarkPeerReadAsync(alice, bob, first.RecipientSeq));

        var second = await SendAsync(bob, alice, "b1", "hi alice");
        var toSelf = await SendAsync(alice, alice, "a2", "note to self");
        Assert.Equal((2L, 2L), (second.Seq, second.RecipientSeq));
        Assert.Equal((3L, 3L), (toSelf.Seq, toSelf.RecipientSeq));

        var bobsInbox = await _inbox.ReadAsync(bob, 0, 10, 1 << 20);
        Assert.Equal(["hi bob", "hi alice"], bobsInbox.Messages.Select(m => Encoding.UTF8.GetString(m.Body)));
        // Bob's copy of his own message names its seq in Alice's inbox: what a recall finds it by.
        Assert.Equal(second.RecipientSeq, bobsInbox.Messages[1].PeerSeq);

        var conversations = await _conversations.ListAsync(alice, null, 10);
        Assert.Equal([alice, bob], conversations.Select(c => c.Id).Order(StringComparer.Ordinal));

        // Bob recalls his message: his copy, then Alice's, one inbox per step.
        var own = (await _inbox.ReadAtAsync(bob, second.Seq))!.Value;
        var theirs = await _inbox.ReadAtAsync(alice, second.RecipientSeq);
        var (bobsEvent, alicesEvent) = (await _inbox.RecallDirectAsync(own, theirs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))!.Value;
        Assert.Equal((3L, 4L), (bobsEvent.Seq, alicesEvent!.Seq));
        Assert.Equal(SystemContentTypes.Tombstone, (await _inbox.ReadAtAsync(bob, second.Seq))!.Value.Message.ContentType);
        Assert.Equal(SystemContentTypes.Tombstone, (await _inbox.ReadAtAsync(alice, second.RecipientSeq))!.Value.Message.ContentType);
    }

    /// <param name="sharded">The two steps as two scripts (a sharded store), or as one (a store of one shard).</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARetryAfterTheSendersCopyWasLost_StoresItOnce_WithTheFirstIdAndRecipientSeq(bool sharded)
    {
        var (mux, inbox) = sharded
            ? (_mux, _inbox)
            : (cluster.PlainConnection, new InboxLog(cluster.PlainStore, Options.Create(new InboxOptions()), Options.Create(new StoreShapeOptions())));
        var (alice, bob) = ("alice-" + Guid.NewGuid().ToString("N")[..6], "bob-" + Guid.NewGuid().ToString("N")[..6]);
        var first = await SendAsync(inbox, alice, bob, "c1", "once");

        // As a crash between the two steps leaves it: the recipient's append stored, the sender's copy not.
        var db = mux.GetDatabase();
        await db.KeyDeleteAsync([(RedisKey)$"im:{{{alice}}}:own:{first.MessageId}", (RedisKey)$"im:{{{alice}}}:m:{first.Seq}"]);

        var retry = await SendAsync(inbox, alice, bob, "c1", "once");
        Assert.True(retry.Duplicate);
        Assert.Equal((first.MessageId, first.RecipientSeq, first.Timestamp), (retry.MessageId, retry.RecipientSeq, retry.Timestamp));

        var again = await SendAsync(inbox, alice, bob, "c1", "once");
        Assert.Equal(retry, again);
        var alicesInbox = await inbox.ReadAsync(alice, 0, 10, 1 << 20);
        Assert.Equal([first.MessageId], alicesInbox.Messages.Select(m => m.Id));
        Assert.Equal("once", Encoding.UTF8.GetString(alicesInbox.Messages[0].Body));
        Assert.Equal([first.MessageId], (await inbox.ReadAsync(bob, 0, 10, 1 << 20)).Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task AMessageFromTheSystem_ItsRetryAndItsReadMark_TouchTheRecipientsKeysOnly()
    {
        var bob = "bob-" + Guid.NewGuid().ToString("N")[..6];
        var request = new SystemSendRequest("notice-1", "text/plain", "maintenance at noon"u8.ToArray());
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var sent = await _inbox.AppendFromSystemAsync(bob, request, Guid.CreateVersion7().ToString("N"), now);
        var retried = await _inbox.AppendFromSystemAsync(bob, request, Guid.CreateVersion7().ToString("N"), now + 5);
        var read = await _conversations.MarkDirectReadAsync(bob, InboxKeys.SystemPeer, sent.Seq);

        Assert.Equal((1L, 1L, false), (sent.Seq, sent.RecipientSeq, sent.Duplicate));
        Assert.Equal((sent.MessageId, sent.Seq, sent.Timestamp, true), (retried.MessageId, retried.Seq, retried.Timestamp, retried.Duplicate));
        Assert.Equal((1L, 0L), (read.ReadSeq, read.Unread));
        var listed = Assert.Single(await _conversations.ListAsync(bob, null, 10));
        Assert.Equal((ImActors.Grains.Interfaces.Conversations.ConversationKind.System, "", 1L), (listed.Kind, listed.Id, listed.LastSeq));
    }

    private Task<SendResult> SendAsync(string from, string to, string cmid, string text) => SendAsync(_inbox, from, to, cmid, text);

    private static Task<SendResult> SendAsync(InboxLog inbox, string from, string to, string cmid, string text) =>
        inbox.AppendDirectAsync(
            new SendRequest(from, "phone", cmid, to, "text/plain", Encoding.UTF8.GetBytes(text)),
            Guid.CreateVersion7().ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
