using System.Globalization;
using ImActors.Grains.Interfaces.Messages;
using Microsoft.Extensions.Options;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>
/// Users' inboxes in Redis (or the embedded Garnet): per user an INCR counter and one key per entry
/// (<see cref="LogKeys"/>). Append-only: a message adds keys, never rewrites a growing value.
/// </summary>
public sealed class InboxLog(StoreConnection redis, IOptions<InboxOptions> options)
{
    private readonly InboxOptions _options = options.Value;

    public async Task<SendResult> AppendDirectAsync(SendRequest request, string messageId, long timestamp)
    {
        var self = request.From == request.To;
        var (recipient, sender) = (InboxKeys.Log(request.To), InboxKeys.Log(request.From));
        var keys = new[]
        {
            InboxKeys.Dedup(request.From, request.ClientMessageId),
            recipient.Seq, recipient.Floor, sender.Seq, sender.Floor,
            InboxKeys.Peers(request.To), InboxKeys.LastSeq(request.To, request.From), InboxKeys.Unread(request.To, request.From),
            InboxKeys.Peers(request.From), InboxKeys.LastSeq(request.From, request.To),
            InboxKeys.Read(request.From, request.To), InboxKeys.Unread(request.From, request.To),
        };
        var args = new RedisValue[]
        {
            LogEntry.Encode(messageId, request, timestamp),
            messageId,
            timestamp,
            _options.MaxEntries,
            Math.Max(1, (long)_options.DedupWindow.TotalSeconds),
            self ? "1" : "0",
            request.From,
            request.To,
            recipient.EntryPrefix,
            sender.EntryPrefix,
        };

        var result = (RedisResult[])(await redis.Eval(AppendScript.Source, keys, args))!;
        return ParseAck((string)result[1]!, duplicate: (int)result[0] == 1);
    }

    /// <summary>The most messages one read returns, whatever is asked.</summary>
    public const int MaxPageSize = LogPages.MaxPageSize;

    /// <summary>
    /// Messages after <paramref name="after"/>, oldest first: at most <paramref name="limit"/>, and only as many
    /// as fit in about <paramref name="maxBytes"/> (always at least one), so that a page fits in one frame.
    /// </summary>
    public Task<SyncResult> ReadAsync(string user, long after, int limit, int maxBytes) =>
        LogPages.ReadAsync(redis, InboxKeys.Log(user), after, limit, maxBytes);

    /// <summary>The inbox entry at <paramref name="seq"/>, with its raw member, or null when there is none.</summary>
    public Task<(StoredMessage Message, byte[] Member)?> ReadAtAsync(string user, long seq) =>
        LogPages.ReadAtAsync(redis, InboxKeys.Log(user), seq);

    /// <summary>
    /// Recalls a 1:1 message: each copy (the recipient's may be gone, trimmed) becomes a tombstone, and each inbox
    /// gets a recall event naming the seq the message had there. Returns the events as stored (the recipient's null
    /// when it has no copy), or null when a copy changed meanwhile (already recalled).
    /// </summary>
    public async Task<(StoredMessage SenderEvent, StoredMessage? RecipientEvent)?> RecallDirectAsync(
        (StoredMessage Message, byte[] Member) senderCopy, (StoredMessage Message, byte[] Member)? recipientCopy, long timestamp)
    {
        var m = senderCopy.Message;
        var tombstone = LogEntry.Encode(m.Id, m.From, m.To, m.Timestamp, SystemContentTypes.Tombstone, []);
        var eventId = Guid.CreateVersion7().ToString("N");
        StoredMessage Event(long recalledSeq, long eventSeq, long peerEventSeq) => new(
            eventId, eventSeq, m.From, m.To, timestamp, SystemContentTypes.Recall, RecallBody.Encode(recalledSeq, m.From), null, peerEventSeq);
        byte[] Entry(long recalledSeq) => LogEntry.Encode(eventId, m.From, m.To, timestamp, SystemContentTypes.Recall, RecallBody.Encode(recalledSeq, m.From));

        var (senderLog, recipientLog) = (InboxKeys.Log(m.From), InboxKeys.Log(m.To));
        if (recipientCopy is not { } r)
        {
            var own = (RedisResult[])(await redis.Eval(RecallScript.Source,
                [senderLog.Seq, senderLog.Floor],
                [_options.MaxEntries, "0", senderLog.EntryPrefix, m.Seq, senderCopy.Member,
                 m.PeerSeq > 0 ? LogEntry.WithPeerSeq(tombstone, m.PeerSeq) : tombstone, Entry(m.Seq)]))!;
            return (int)own[0] == 1 ? (Event(m.Seq, (long)own[1], 0), null) : null;
        }

        var result = (RedisResult[])(await redis.Eval(RecallScript.Source,
            [senderLog.Seq, senderLog.Floor, recipientLog.Seq, recipientLog.Floor],
            [
                _options.MaxEntries, "1",
                senderLog.EntryPrefix, m.Seq, senderCopy.Member, LogEntry.WithPeerSeq(tombstone, r.Message.Seq), Entry(m.Seq),
                recipientLog.EntryPrefix, r.Message.Seq, r.Member, LogEntry.WithPeerSeq(tombstone, m.Seq), Entry(r.Message.Seq),
            ]))!;
        if ((int)result[0] != 1)
        {
            return null;
        }

        var senderSeq = (long)result[1];
        var recipientSeq = (long)result[2];
        return (Event(m.Seq, senderSeq, recipientSeq), Event(r.Message.Seq, recipientSeq, senderSeq));
    }

    public async Task<long> GetSeqAsync(string user)
    {
        var value = await redis.Run(db => db.StringGetAsync(InboxKeys.Seq(user)));
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>Removes entries older than <paramref name="cutoff"/> from the bottom of the log. Returns how many.</summary>
    public async Task<long> TrimOlderThanAsync(string user, DateTimeOffset cutoff)
    {
        const int batch = 100;
        var log = InboxKeys.Log(user);
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        long removed = 0;
        for (var after = 0L; ; )
        {
            // A page starts above the floor, which the previous round moved up to "after": the oldest entries left.
            var page = await LogPages.ReadRawAsync(redis, log, after, batch);
            var old = page.Entries.TakeWhile(e => LogEntry.Decode(e.Entry, e.Seq).Timestamp < cutoffMs).ToList();
            var allOld = old.Count == page.Entries.Count;
            // Up to the last old entry, or over the whole page when every entry in it was old (holes included).
            var upTo = allOld ? page.ScannedTo : old.Count > 0 ? old[^1].Seq : after;
            if (upTo <= after)
            {
                return removed;
            }

            removed += await LogPages.TrimToAsync(redis, log, upTo);
            after = upTo;
            if (!allOld || page.ScannedTo >= page.Last)
            {
                return removed;
            }
        }
    }

    internal static SendResult ParseAck(string ack, bool duplicate)
    {
        var parts = ack.Split('|');
        return new SendResult(
            MessageId: parts[0],
            Seq: long.Parse(parts[2], CultureInfo.InvariantCulture),
            RecipientSeq: long.Parse(parts[3], CultureInfo.InvariantCulture),
            Timestamp: long.Parse(parts[1], CultureInfo.InvariantCulture),
            Duplicate: duplicate);
    }
}
