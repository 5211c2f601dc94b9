using System.Text;
using ImActors.Grains.Conversations;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Store;
using ImActors.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// The per-sender unread cap (decision 132), on a real redis-server, in both shapes of the 1:1 write: one script on a
/// store of one shard, two steps on a sharded one. A sender at the cap is refused and nothing is written; other
/// senders, retries of stored messages and the system are not held back; a read opens the way again.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class UnreadCapTests : IAsyncLifetime
{
    private const int Cap = 3;
    private readonly RedisServerProcess _redis = new();
    private ConnectionMultiplexer _mux = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _mux.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASenderAtTheCap_IsRefused_AndNothingOfTheSendIsStored(bool sharded)
    {
        var log = Log(sharded);
        await FillToCapAsync(log);

        var refused = await Assert.ThrowsAsync<RefusedException>(() => log.AppendDirectAsync(Request("ann", "bob", "c-over"), "id-over", 2000));

        Assert.Equal(Refusal.UnreadLimit, refused.Reason);
        Assert.Contains($"bob has {Cap} unread messages from you", refused.Message);
        Assert.Equal(Cap, await log.GetSeqAsync("bob"));
        Assert.Equal(Cap, await log.GetSeqAsync("ann"));
        // Not remembered as sent: once bob reads, the same cmid is a new message, not a duplicate of a refusal.
        Assert.False(await _mux.GetDatabase().KeyExistsAsync(InboxKeys.Dedup("bob", "ann", "c-over")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OtherSenders_Retries_AndTheSystem_AreNotHeldBack(bool sharded)
    {
        var log = Log(sharded);
        var acks = await FillToCapAsync(log);

        var retry = await log.AppendDirectAsync(Request("ann", "bob", "c1"), "another-id", 3000);
        var fromCarl = await log.AppendDirectAsync(Request("carl", "bob", "c0"), "carl-0", 3001);
        var fromSystem = await log.AppendFromSystemAsync("bob", new SystemSendRequest("notice-1", "text/plain", "hi"u8.ToArray()), "sys-0", 3002);

        Assert.Equal(acks[1], retry with { Duplicate = false });
        Assert.False(fromCarl.Duplicate);
        Assert.False(fromSystem.Duplicate);
        Assert.Equal(Cap + 2, await log.GetSeqAsync("bob"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OnceTheRecipientReads_TheSenderMaySendAgain(bool sharded)
    {
        var log = Log(sharded);
        var acks = await FillToCapAsync(log);

        await Assert.ThrowsAsync<RefusedException>(() => log.AppendDirectAsync(Request("ann", "bob", "c-next"), "id-next", 2000));
        // Bob reads the first two: two of ann's messages may wait unread again, and one more fits.
        var read = await new ConversationStore(Store()).MarkDirectReadAsync("bob", "ann", acks[1].RecipientSeq);
        var next = await log.AppendDirectAsync(Request("ann", "bob", "c-next"), "id-next", 2001);
        await log.AppendDirectAsync(Request("ann", "bob", "c-after"), "id-after", 2002);
        var over = await Assert.ThrowsAsync<RefusedException>(() => log.AppendDirectAsync(Request("ann", "bob", "c-over"), "id-over", 2003));

        Assert.Equal(1, read.Unread);
        Assert.Equal(Cap + 1, next.RecipientSeq);
        Assert.Equal(Refusal.UnreadLimit, over.Reason);
    }

    [Fact]
    public async Task ACapOfZero_CapsNothing()
    {
        var log = Log(sharded: false, cap: 0);
        for (var i = 0; i < 20; i++)
        {
            await log.AppendDirectAsync(Request("ann", "bob", $"c{i}"), $"id{i}", 1000 + i);
        }

        Assert.Equal(20, await log.GetSeqAsync("bob"));
    }

    /// <summary>Ann's first <see cref="Cap"/> messages to bob, all unread: what the cap allows.</summary>
    private static async Task<List<SendResult>> FillToCapAsync(InboxLog log)
    {
        var acks = new List<SendResult>();
        for (var i = 0; i < Cap; i++)
        {
            acks.Add(await log.AppendDirectAsync(Request("ann", "bob", $"c{i}"), $"id{i}", 1000 + i));
        }

        return acks;
    }

    // Redis in the tests runs with appendfsync always: its replies follow its commit.
    private StoreConnection Store() => new(_mux, new NoCommitWait());

    private InboxLog Log(bool sharded, int cap = Cap) => new(
        Store(), Options.Create(new InboxOptions { MaxUnreadPerSender = cap }), Options.Create(new StoreShapeOptions { Sharded = sharded }));

    private static SendRequest Request(string from, string to, string cmid) =>
        new(from, "device", cmid, to, "text/plain", Encoding.UTF8.GetBytes(cmid));
}
