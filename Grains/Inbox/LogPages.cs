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
        StoreConnection redis, LogKeys log, long after, int limit, int maxBytes, string? group = null, long floor = 0)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        // One more than asked tells whether there is more without a second round trip.
        var (last, page) = await ReadRawAsync(redis, log, Math.Max(after, floor), limit + 1);
        var messages = new List<StoredMessage>(Math.Min(page.Count, limit));
        var budget = maxBytes;
        foreach (var (seq, entry) in page)
        {
            if (messages.Count == limit)
            {
                break;
            }

            var message = LogEntry.Decode(entry, seq, group);
            budget -= message.Body.Length + EntryOverhead;
            if (budget < 0 && messages.Count > 0)
            {
                break;
            }

            messages.Add(message);
        }

        return new SyncResult(messages, page.Count > messages.Count, last, floor);
    }

    /// <summary>Up to <paramref name="count"/> raw entries after <paramref name="after"/>, and the log's last seq.</summary>
    public static async Task<(long Last, List<(long Seq, byte[] Entry)> Entries)> ReadRawAsync(StoreConnection redis, LogKeys log, long after, int count)
    {
        var result = (RedisResult[])(await redis.Eval(LogScripts.Page, [log.Seq, log.Floor], [log.EntryPrefix, Math.Max(0, after), count]))!;
        var entries = new List<(long, byte[])>((result.Length - 2) / 2);
        for (var i = 2; i + 1 < result.Length; i += 2)
        {
            entries.Add(((long)result[i], (byte[])result[i + 1]!));
        }

        return ((long)result[0], entries);
    }

    /// <summary>The entry at <paramref name="seq"/> with its raw value (for compare-and-replace), or null when it is not there.</summary>
    public static async Task<(StoredMessage Message, byte[] Member)?> ReadAtAsync(StoreConnection redis, LogKeys log, long seq, string? group = null)
    {
        var found = await redis.Run(db => db.StringGetAsync(log.Entry(seq)));
        if (found.IsNull)
        {
            return null;
        }

        var member = (byte[])found!;
        return (LogEntry.Decode(member, seq, group), member);
    }

    /// <summary>Moves the log's floor up to <paramref name="seq"/>, deleting the entries below it; returns how many it deleted.</summary>
    public static async Task<long> TrimToAsync(StoreConnection redis, LogKeys log, long seq) =>
        (long)await redis.Eval(LogScripts.TrimTo, [log.Floor], [log.EntryPrefix, seq]);
}
