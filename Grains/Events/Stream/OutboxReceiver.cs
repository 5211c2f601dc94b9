using System.Text.Json;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Store;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;
using StackExchange.Redis;

namespace ImActors.Grains.Events.Stream;

/// <summary>
/// Reads one queue's outbox lists for Orleans' pulling agent, by absolute position (<see cref="OutboxListCursor"/>):
/// ahead of what was delivered, and trims a list only up to the first entry not yet delivered. An entry Orleans drops
/// from its cache undelivered (its consumer kept failing) is read again, and one read by a silo killed before its
/// delivery stays for the queue's next reader: at least once, never a skipped entry (decision 134).
/// </summary>
internal sealed class OutboxReceiver(
    StoreConnection store, IReadOnlyList<RedisKey> lists, StreamId stream, EventOptions options, bool sharded, TimeProvider time, ILogger logger)
    : IQueueAdapterReceiver
{
    private readonly List<OutboxListCursor> _cursors = lists.Select(l => new OutboxListCursor(l)).ToList();

    // What is in Orleans' cache, by token: Orleans adds and purges in token order, so an entry older than one it reports
    // delivered and not reported itself was dropped undelivered.
    private readonly SortedDictionary<long, (OutboxListCursor Cursor, long Position)> _inCache = [];

    // Lists with delivered entries not yet trimmed: a trim that fails (the store away) is made again at the next report.
    private readonly HashSet<OutboxListCursor> _untrimmed = [];
    private long _sequence;
    private DateTimeOffset _nextPoll;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        if (sharded)
        {
            // ~4,096 lists a read: paced, not at Orleans' 100 ms.
            var now = time.GetUtcNow();
            if (now < _nextPoll)
            {
                return [];
            }

            _nextPoll = now + options.ShardedPollPeriod;
        }

        var batch = Math.Max(1, Math.Min(options.ReadBatch, maxCount));
        var reads = _cursors.Select(c => (Cursor: c, Again: c.Again.ToArray(), Answer: store.Eval(OutboxScripts.Read,
            [c.List, c.TrimmedCounter], [c.Next, batch, .. c.Again.Select(p => (RedisValue)p)]))).ToList();
        var result = new List<IBatchContainer>();
        foreach (var (cursor, again, answer) in reads)
        {
            var read = (RedisResult[])(await answer)!;
            var (trimmed, first, entries, reread) = ((long)read[0], (long)read[1], (RedisResult[])read[2]!, (RedisResult[])read[3]!);

            var gone = new List<long>();
            for (var i = 0; i < again.Length; i++)
            {
                if (reread[i].ToString() is { Length: > 0 } entry)
                {
                    result.Add(Decode(cursor, again[i], entry));
                }
                else
                {
                    gone.Add(again[i]);
                }
            }

            cursor.ReadAgain(gone);
            // Orleans adds at most maxCount at once: the rest of a list is read at the next poll.
            var take = Math.Clamp(maxCount - result.Count, 0, entries.Length);
            for (var i = 0; i < take; i++)
            {
                result.Add(Decode(cursor, first + i, entries[i].ToString()));
            }

            cursor.Read(trimmed, first, take);
            if (take < entries.Length)
            {
                _nextPoll = default;
            }
        }

        return result;
    }

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
    {
        var newest = long.MinValue;
        foreach (var delivered in messages.OfType<OutboxBatch>())
        {
            var sequence = delivered.Token.SequenceNumber;
            if (_inCache.Remove(sequence, out var entry))
            {
                entry.Cursor.Delivered(entry.Position);
                _untrimmed.Add(entry.Cursor);
            }

            newest = Math.Max(newest, sequence);
        }

        foreach (var (sequence, (cursor, position)) in _inCache.TakeWhile(e => e.Key < newest).ToList())
        {
            _inCache.Remove(sequence);
            cursor.Failed(position);
            logger.LogWarning("Event outbox {List}: the entry at {Position} left the stream's cache undelivered; reading it again", cursor.List, position);
        }

        foreach (var cursor in _untrimmed.ToList())
        {
            if (cursor.CanTrim)
            {
                cursor.Trimmed((long)await store.Eval(OutboxScripts.Trim, [cursor.List, cursor.TrimmedCounter], [cursor.Floor]));
            }

            _untrimmed.Remove(cursor);
        }
    }

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;

    private OutboxBatch Decode(OutboxListCursor cursor, long position, string stored)
    {
        var token = NextToken();
        _inCache[token.SequenceNumber] = (cursor, position);
        ImEvent e;
        try
        {
            e = EventJson.Deserialize(stored);
        }
        catch (JsonException ex)
        {
            // Only an operator's hand can put one there; it is delivered to no one and trimmed with its neighbours.
            logger.LogError(ex, "Unreadable entry in event outbox {List} at {Position}: {Entry}", cursor.List, position, stored);
            e = Unreadable;
        }

        return new OutboxBatch { StreamId = stream, Event = e, Token = token };
    }

    // Tokens grow across restarts and silos (time-based), so a consumer that saw a token of this queue's previous
    // reader never takes the next reader's first entries for old ones.
    private EventSequenceTokenV2 NextToken()
    {
        _sequence = Math.Max(_sequence + 1, time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        return new EventSequenceTokenV2(_sequence);
    }

    private static readonly ImEvent Unreadable = new("", "unreadable", 0);
}
