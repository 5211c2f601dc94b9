using System.Globalization;
using ImActors.Grains.Interfaces.Messages;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>
/// Users' inboxes in Redis (or the embedded Garnet): per user a sorted set scored by seq and an INCR
/// counter. Append-only: a message is one ZADD, never a rewrite of a growing value.
/// </summary>
public sealed class InboxLog(IConnectionMultiplexer redis, IOptions<InboxOptions> options)
{
    private readonly InboxOptions _options = options.Value;

    public async Task<SendResult> AppendDirectAsync(SendRequest request, string messageId, long timestamp)
    {
        var self = request.From == request.To;
        var keys = new[]
        {
            InboxKeys.Dedup(request.From, request.ClientMessageId),
            InboxKeys.Seq(request.To), InboxKeys.Log(request.To),
            InboxKeys.Seq(request.From), InboxKeys.Log(request.From),
        };
        var args = new RedisValue[]
        {
            LogEntry.Encode(messageId, request, timestamp),
            messageId,
            timestamp,
            _options.MaxEntries,
            Math.Max(1, (long)_options.DedupWindow.TotalSeconds),
            self ? "1" : "0",
        };

        var result = (RedisResult[])(await Run(db => db.ScriptEvaluateAsync(AppendScript.Source, keys, args)))!;
        return ParseAck((string)result[1]!, duplicate: (int)result[0] == 1);
    }

    /// <summary>The most messages one read returns, whatever is asked.</summary>
    public const int MaxPageSize = 500;

    // Allowance per message for ids, names and framing on top of its body, when sizing a page.
    private const int EntryOverhead = 128;

    /// <summary>
    /// Messages after <paramref name="after"/>, oldest first: at most <paramref name="limit"/>, and only as many
    /// as fit in about <paramref name="maxBytes"/> (always at least one), so that a page fits in one frame.
    /// </summary>
    public async Task<SyncResult> ReadAsync(string user, long after, int limit, int maxBytes)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        // One more than asked tells whether there is more without a second round trip.
        var page = await Run(db => db.SortedSetRangeByScoreWithScoresAsync(
            InboxKeys.Log(user), Math.Max(0, after), double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, limit + 1));
        var seq = await GetSeqAsync(user);
        var messages = new List<StoredMessage>(Math.Min(page.Length, limit));
        var budget = maxBytes;
        for (var i = 0; i < page.Length && messages.Count < limit; i++)
        {
            var message = LogEntry.Decode((byte[])page[i].Element!, (long)page[i].Score);
            budget -= message.Body.Length + EntryOverhead;
            if (budget < 0 && messages.Count > 0)
            {
                break;
            }

            messages.Add(message);
        }

        return new SyncResult(messages, page.Length > messages.Count, seq);
    }

    public async Task<long> GetSeqAsync(string user)
    {
        var value = await Run(db => db.StringGetAsync(InboxKeys.Seq(user)));
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>Removes entries older than <paramref name="cutoff"/> from the head of the log. Returns how many.</summary>
    public async Task<long> TrimOlderThanAsync(string user, DateTimeOffset cutoff)
    {
        const int batch = 100;
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        long removed = 0;
        while (true)
        {
            var head = await Run(db => db.SortedSetRangeByRankWithScoresAsync(InboxKeys.Log(user), 0, batch - 1));
            var lastOld = -1.0;
            var old = 0;
            foreach (var entry in head)
            {
                if (LogEntry.Decode((byte[])entry.Element!, (long)entry.Score).Timestamp >= cutoffMs)
                {
                    break;
                }

                lastOld = entry.Score;
                old++;
            }

            if (old == 0)
            {
                return removed;
            }

            removed += await Run(db => db.SortedSetRemoveRangeByScoreAsync(InboxKeys.Log(user), double.NegativeInfinity, lastOld));
            if (old < batch)
            {
                return removed;
            }
        }
    }

    private static SendResult ParseAck(string ack, bool duplicate)
    {
        var parts = ack.Split('|');
        return new SendResult(
            MessageId: parts[0],
            Seq: long.Parse(parts[2], CultureInfo.InvariantCulture),
            RecipientSeq: long.Parse(parts[3], CultureInfo.InvariantCulture),
            Timestamp: long.Parse(parts[1], CultureInfo.InvariantCulture),
            Duplicate: duplicate);
    }

    private async Task<T> Run<T>(Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command(redis.GetDatabase());
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException
                                      || (e is RedisServerException s && IsTransient(s)))
        {
            // A timeout may hide a write that did land: that is why every send carries a client message id.
            throw new StoreUnavailableException("message store unavailable: " + e.Message);
        }
    }

    private static bool IsTransient(RedisServerException e) =>
        e.Message.StartsWith("LOADING", StringComparison.Ordinal)
        || e.Message.StartsWith("BUSY", StringComparison.Ordinal)
        || e.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || e.Message.StartsWith("READONLY", StringComparison.Ordinal);
}
