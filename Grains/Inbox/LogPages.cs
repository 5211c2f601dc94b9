using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>Reading a conversation log (an inbox or a group timeline): pages, and single entries.</summary>
internal static class LogPages
{
    /// <summary>The most messages one read returns, whatever is asked.</summary>
    public const int MaxPageSize = 500;

    // Allowance per message for ids, names and framing on top of its body, when sizing a page.
    private const int EntryOverhead = 128;

    /// <summary>
    /// Entries after <paramref name="after"/>, oldest first: at most <paramref name="limit"/>, and only as many as fit
    /// in about <paramref name="maxBytes"/> (always at least one), so that a page fits in one frame.
    /// </summary>
    public static async Task<SyncResult> ReadAsync(
        StoreConnection redis, RedisKey log, RedisKey seqKey, long after, int limit, int maxBytes, string? group = null, long floor = 0)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        after = Math.Max(after, floor);
        // One more than asked tells whether there is more without a second round trip.
        var pageTask = redis.Run(db => db.SortedSetRangeByScoreWithScoresAsync(
            log, Math.Max(0, after), double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, limit + 1));
        var seqTask = redis.Run(db => db.StringGetAsync(seqKey));
        var page = await pageTask;
        var seqValue = await seqTask;
        var messages = new List<StoredMessage>(Math.Min(page.Length, limit));
        var budget = maxBytes;
        for (var i = 0; i < page.Length && messages.Count < limit; i++)
        {
            var message = LogEntry.Decode((byte[])page[i].Element!, (long)page[i].Score, group);
            budget -= message.Body.Length + EntryOverhead;
            if (budget < 0 && messages.Count > 0)
            {
                break;
            }

            messages.Add(message);
        }

        return new SyncResult(messages, page.Length > messages.Count, seqValue.IsNull ? 0 : (long)seqValue, floor);
    }

    /// <summary>The entry at <paramref name="seq"/> with its raw member (for compare-and-replace), or null when it is not there.</summary>
    public static async Task<(StoredMessage Message, byte[] Member)?> ReadAtAsync(StoreConnection redis, RedisKey log, long seq, string? group = null)
    {
        var found = await redis.Run(db => db.SortedSetRangeByScoreAsync(log, seq, seq));
        if (found.Length == 0)
        {
            return null;
        }

        var member = (byte[])found[0]!;
        return (LogEntry.Decode(member, seq, group), member);
    }
}
