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
/// Reads one queue's outbox lists for Orleans' pulling agent: ahead of what was delivered (LRANGE from where it
/// stopped), and removes entries only once Orleans reports them delivered, checking each is the one it read
/// (<see cref="OutboxScripts.Trim"/>). A silo killed before that leaves them to the queue's next reader: at least once.
/// </summary>
internal sealed class OutboxReceiver(
    StoreConnection store, IReadOnlyList<RedisKey> lists, StreamId stream, EventOptions options, bool sharded, TimeProvider time, ILogger logger)
    : IQueueAdapterReceiver
{
    // Per list: how many entries from its head this receiver has read and not yet removed.
    private readonly Dictionary<string, int> _read = lists.ToDictionary(l => (string)l!, _ => 0);
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
        var reads = _read.Select(r => (List: r.Key, Entries: store.Run(db => db.ListRangeAsync(r.Key, r.Value, r.Value + batch - 1)))).ToList();
        var result = new List<IBatchContainer>();
        foreach (var (list, entries) in reads)
        {
            var read = await entries;
            _read[list] += read.Length;
            foreach (var entry in read)
            {
                if (Decode(list, entry!) is { } e)
                {
                    result.Add(e);
                }
            }
        }

        return result;
    }

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
    {
        foreach (var delivered in messages.OfType<OutboxBatch>().GroupBy(b => b.List))
        {
            var entries = delivered.Select(b => (RedisValue)b.Stored).ToArray();
            var popped = (int)await store.Eval(OutboxScripts.Trim, [delivered.Key], entries);
            // Fewer popped than delivered: another reader of this queue (a hand-over between silos) removed some. Where
            // this one stands is unknown, so it reads from the head again: repeats, never a skipped entry.
            _read[delivered.Key] = popped == entries.Length ? Math.Max(0, _read[delivered.Key] - popped) : 0;
        }
    }

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;

    private OutboxBatch? Decode(string list, string stored)
    {
        ImEvent e;
        try
        {
            e = EventJson.Deserialize(stored);
        }
        catch (JsonException ex)
        {
            // Only an operator's hand can put one there; it is delivered to no one and removed with its neighbours.
            logger.LogError(ex, "Unreadable entry in event outbox {List}: {Entry}", list, stored);
            return new OutboxBatch { StreamId = stream, Event = Unreadable, Token = NextToken(), List = list, Stored = stored };
        }

        return new OutboxBatch { StreamId = stream, Event = e, Token = NextToken(), List = list, Stored = stored };
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
