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
        var page = await ReadRawAsync(redis, log, Math.Max(after, floor), limit);
        var messages = new List<StoredMessage>(page.Entries.Count);
        var budget = maxBytes;
        foreach (var (seq, entry) in page.Entries)
        {
            var message = LogEntry.Decode(entry, seq, group);
            budget -= message.Body.Length + EntryOverhead;
            if (budget < 0 && messages.Count > 0)
            {
                break;
            }

            messages.Add(message);
        }

        // More follows when the byte budget cut the page short, or when seqs remain past the ones scanned: a page
        // that stepped over holes holds fewer entries than asked, and that alone says nothing about the rest.
        var hasMore = messages.Count < page.Entries.Count || page.ScannedTo < page.Last;
        return new SyncResult(messages, hasMore, page.Last, Math.Max(floor, page.Trimmed), page.Trimmed);
    }

    /// <summary>The entries among the <paramref name="count"/> seqs after <paramref name="after"/> (seqs with no entry are skipped).</summary>
    public static async Task<RawPage> ReadRawAsync(StoreConnection redis, LogKeys log, long after, int count)
    {
        var result = (RedisResult[])(await redis.Eval(LogScripts.Page, [log.Seq, log.Floor], [log.EntryPrefix, Math.Max(0, after), count]))!;
        var entries = new List<(long, byte[])>((result.Length - 3) / 2);
        for (var i = 3; i + 1 < result.Length; i += 2)
        {
            entries.Add(((long)result[i], (byte[])result[i + 1]!));
        }

        return new RawPage((long)result[0], (long)result[1], (long)result[2], entries);
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

/// <summary>
/// What one page read found: the log's last seq, the seq up to which retention has removed its entries (its floor),
/// the last seq the read looked at (the next page starts after it), and the entries it found, oldest first.
/// </summary>
internal sealed record RawPage(long Last, long Trimmed, long ScannedTo, List<(long Seq, byte[] Entry)> Entries);
