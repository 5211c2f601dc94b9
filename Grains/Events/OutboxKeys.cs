using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Events;

/// <summary>
/// Which outbox list an entity's (a user's or a group's) events go to, and which lists a queue reads (decision 109).
/// An entity belongs to queue <c>slot(entity) mod queues</c>. On a store of one shard each queue is one list; on a
/// sharded store each hash slot has its list, named with a tag of that slot, so that the step writing an event
/// touches one slot only.
/// </summary>
public sealed class OutboxKeys(int queues, bool sharded)
{
    public int Queues { get; } = Math.Max(1, queues);

    public bool Sharded { get; } = sharded;

    public OutboxKeys(EventOptions events, StoreShapeOptions shape)
        : this(events.Queues, shape.Sharded)
    {
    }

    /// <summary>The list of <paramref name="entity"/>, the hash tag of its keys (a user id or a group id).</summary>
    public RedisKey ListOf(string entity)
    {
        var slot = SlotTags.SlotOf(entity);
        return Sharded ? SlotList(slot) : QueueList(slot % Queues);
    }

    public int QueueOf(string entity) => SlotTags.SlotOf(entity) % Queues;

    /// <summary>The lists queue <paramref name="queue"/> reads.</summary>
    public IReadOnlyList<RedisKey> ListsOf(int queue) =>
        Sharded
            ? Enumerable.Range(0, SlotTags.Slots).Where(s => s % Queues == queue).Select(SlotList).ToList()
            : [QueueList(queue)];

    /// <summary>
    /// How many entries ever left <paramref name="list"/>'s head: with it a reader names entries by an absolute position
    /// that trims do not shift (<see cref="OutboxScripts.Read"/>). In the list's hash slot.
    /// </summary>
    public static RedisKey TrimmedCounterOf(RedisKey list) => list.Append(":trimmed");

    private static RedisKey QueueList(int queue) => $"im:ev:{{q{queue}}}";

    private static RedisKey SlotList(int slot) => $"im:ev:{{{SlotTags.TagOf(slot)}}}";
}
