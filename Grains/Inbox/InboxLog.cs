using System.Globalization;
using ImActors.Grains.Events;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Messages;
using Microsoft.Extensions.Options;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>
/// Users' inboxes in Redis (or the embedded Garnet): per user an INCR counter and one key per entry
/// (<see cref="LogKeys"/>). Append-only: a message adds keys, never rewrites a growing value.
/// </summary>
public sealed class InboxLog(
    StoreConnection redis, IOptions<InboxOptions> options, IOptions<StoreShapeOptions>? shape = null, EventOutbox? events = null)
{
    private readonly InboxOptions _options = options.Value;
    private readonly bool _sharded = shape?.Value.Sharded ?? false;
    private readonly EventOutbox _events = events ?? EventOutbox.Off;

    /// <summary>
    /// Stores a 1:1 message: the recipient's append, then the sender's copy (<see cref="AppendScript"/>), as one script
    /// on a store of one shard and as two on a sharded one. Of two steps only the second is waited on for the commit:
    /// the store commits in order, so that wait covers both.
    /// </summary>
    public async Task<SendResult> AppendDirectAsync(SendRequest request, string messageId, long timestamp)
    {
        var (from, to) = (request.From, request.To);
        var ttl = Math.Max(1, (long)_options.DedupWindow.TotalSeconds);
        var (recipient, sender) = (InboxKeys.Log(to), InboxKeys.Log(from));
        var dedup = InboxKeys.Dedup(to, from, request.ClientMessageId);
        var entry = LogEntry.Encode(messageId, request, timestamp);
        var outbox = _events.ListOf(to);
        var draft = _events.Open(() => StoredEvent(messageId, timestamp, from, to, request.ContentType, request.Body));
        // AppendScript.OneStep's keys and arguments; Recipient takes the first 6 keys and 7 arguments (then the outbox, the
        // draft and the cap), SenderCopy the last 8 keys.
        RedisValue[] args =
        [
            entry, messageId, timestamp, _options.MaxEntries, ttl, from, recipient.EntryPrefix, to, sender.EntryPrefix, draft,
            _options.MaxUnreadPerSender,
        ];
        if (from == to)
        {
            var own = (RedisResult[])(await redis.Eval(AppendScript.ToSelf,
                [dedup, recipient.Seq, recipient.Floor, InboxKeys.Peers(to), InboxKeys.LastSeq(to, to), InboxKeys.Read(to, to), outbox],
                [.. args[..7], draft]))!;
            var self = ParseStored((string)own[1]!);
            return new SendResult(self.Id, self.Seq, self.Seq, self.Timestamp, Duplicate: (int)own[0] == 1);
        }

        RedisKey[] keys =
        [
            dedup, recipient.Seq, recipient.Floor, InboxKeys.Peers(to), InboxKeys.LastSeq(to, from), InboxKeys.Unread(to, from),
            InboxKeys.OwnCopy(from, messageId), sender.Seq, sender.Floor, InboxKeys.Peers(from), InboxKeys.LastSeq(from, to),
            InboxKeys.Read(from, to), InboxKeys.Unread(from, to), InboxKeys.Sent(from, to), outbox,
        ];
        var appended = _sharded
            ? (RedisResult[])(await redis.EvalUncommitted(AppendScript.Recipient, [.. keys[..6], outbox], [.. args[..7], draft, _options.MaxUnreadPerSender]))!
            : (RedisResult[])(await redis.Eval(AppendScript.OneStep, keys, args))!;
        if ((int)appended[0] == RefusedByCap)
        {
            // Nothing was written: the recipient's keys are as they were, and the sender's step never runs.
            throw UnreadLimitReached(to, (long)appended[1]);
        }

        var stored = ParseStored((string)appended[1]!);
        if (!_sharded && (int)appended[0] == 0)
        {
            return new SendResult(stored.Id, (long)appended[2], stored.Seq, stored.Timestamp, Duplicate: false);
        }

        // The sender's step on its own: always on a sharded store, and for a duplicate, whose copy (if it must still be
        // stored) carries the first attempt's id and time.
        var senderKeys = keys[6..14];
        var copy = entry;
        if (stored.Id != messageId)
        {
            senderKeys[0] = InboxKeys.OwnCopy(from, stored.Id);
            copy = LogEntry.Encode(stored.Id, request, stored.Timestamp);
        }

        var senderSeq = (long)await redis.Eval(AppendScript.SenderCopy,
            senderKeys, [copy, stored.Seq, _options.MaxEntries, ttl, to, sender.EntryPrefix]);
        return new SendResult(stored.Id, senderSeq, stored.Seq, stored.Timestamp, Duplicate: (int)appended[0] == 1);
    }

    /// <summary>
    /// Stores a 1:1 message from the system: the recipient's step of a send (<see cref="AppendScript.Recipient"/>) alone,
    /// with the system as the sender, so that its dedup record, conversation and unread set are the recipient's keys
    /// under the peer <see cref="InboxKeys.SystemPeer"/>. There is no second step: the system keeps no inbox.
    /// </summary>
    public async Task<SendResult> AppendFromSystemAsync(string to, SystemSendRequest request, string messageId, long timestamp)
    {
        const string system = InboxKeys.SystemPeer;
        var ttl = Math.Max(1, (long)_options.DedupWindow.TotalSeconds);
        var log = InboxKeys.Log(to);
        var entry = LogEntry.Encode(messageId, system, to, timestamp, request.ContentType, request.Body);
        var draft = _events.Open(() => StoredEvent(messageId, timestamp, system, to, request.ContentType, request.Body));
        var appended = (RedisResult[])(await redis.Eval(AppendScript.Recipient,
            [
                InboxKeys.Dedup(to, system, request.ClientMessageId), log.Seq, log.Floor, InboxKeys.Peers(to), InboxKeys.LastSeq(to, system),
                InboxKeys.Unread(to, system), _events.ListOf(to),
            ],
            // No cap for the system: a business service is trusted to pace its own messages (decision 132).
            [entry, messageId, timestamp, _options.MaxEntries, ttl, system, log.EntryPrefix, draft, 0]))!;
        var stored = ParseStored((string)appended[1]!);
        return new SendResult(stored.Id, stored.Seq, stored.Seq, stored.Timestamp, Duplicate: (int)appended[0] == 1);
    }

    /// <summary>What the append scripts return in their first element when the per-sender unread cap refused a send.</summary>
    private const int RefusedByCap = 2;

    private static RefusedException UnreadLimitReached(string to, long unread) => new(
        Refusal.UnreadLimit, $"{to} has {unread} unread messages from you; more can be sent once they read some");

    /// <summary>The event of a stored 1:1 message, without its seqs: the script adds them (decision 109).</summary>
    private ImEvent StoredEvent(string messageId, long timestamp, string from, string to, string contentType, byte[] body) =>
        new(EventOutbox.NewId(), EventTypes.MessageStored, timestamp, User: to, From: from, MessageId: messageId, ContentType: contentType,
            Body: _events.Body(body));

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
    /// when it has no copy left to recall), or null when the sender's copy changed meanwhile (already recalled).
    /// </summary>
    /// <remarks>
    /// One inbox per step (decision 82), the recipient's first: a retry after a crash between the two finds the
    /// recipient's copy a tombstone already, and recalls the sender's.
    /// </remarks>
    public async Task<(StoredMessage SenderEvent, StoredMessage? RecipientEvent)?> RecallDirectAsync(
        (StoredMessage Message, byte[] Member) senderCopy, (StoredMessage Message, byte[] Member)? recipientCopy, long timestamp)
    {
        var m = senderCopy.Message;
        var tombstone = LogEntry.Encode(m.Id, m.From, m.To, m.Timestamp, SystemContentTypes.Tombstone, []);
        var eventId = Guid.CreateVersion7().ToString("N");
        StoredMessage Event(long recalledSeq, long eventSeq, long peerEventSeq) => new(
            eventId, eventSeq, m.From, m.To, timestamp, SystemContentTypes.Recall, RecallBody.Encode(recalledSeq, m.From), null, peerEventSeq);
        byte[] Entry(long recalledSeq) => LogEntry.Encode(eventId, m.From, m.To, timestamp, SystemContentTypes.Recall, RecallBody.Encode(recalledSeq, m.From));

        StoredMessage? recipientEvent = null;
        if (recipientCopy is { } r && r.Message.ContentType != SystemContentTypes.Tombstone)
        {
            var log = InboxKeys.Log(m.To);
            var theirs = (RedisResult[])(await redis.EvalUncommitted(RecallScript.Source, [log.Seq, log.Floor],
                [_options.MaxEntries, log.EntryPrefix, r.Message.Seq, r.Member, LogEntry.WithPeerSeq(tombstone, m.Seq), Entry(r.Message.Seq)]))!;
            // A copy that changed meanwhile was trimmed or recalled by a concurrent attempt: the sender's is recalled all the same.
            recipientEvent = (int)theirs[0] == 1 ? Event(r.Message.Seq, (long)theirs[1], 0) : null;
        }

        var own = InboxKeys.Log(m.From);
        var ownEvent = recipientEvent is null ? Entry(m.Seq) : LogEntry.WithPeerSeq(Entry(m.Seq), recipientEvent.Seq);
        var result = (RedisResult[])(await redis.Eval(RecallScript.Source, [own.Seq, own.Floor],
            [_options.MaxEntries, own.EntryPrefix, m.Seq, senderCopy.Member,
             m.PeerSeq > 0 ? LogEntry.WithPeerSeq(tombstone, m.PeerSeq) : tombstone, ownEvent]))!;
        if ((int)result[0] != 1)
        {
            return null;
        }

        return (Event(m.Seq, (long)result[1], recipientEvent?.Seq ?? 0), recipientEvent);
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

    /// <summary>"id|ts|seq", as the append scripts record a stored message for its retries.</summary>
    private static (string Id, long Timestamp, long Seq) ParseStored(string stored)
    {
        var parts = stored.Split('|');
        return (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
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
