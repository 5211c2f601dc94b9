namespace ImActors.Grains.Events;

/// <summary>The event stream (decision 109). Bound from the "Events" configuration section.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>
    /// Off by default: the store steps then write no event and no stream provider runs. On, each change's step also
    /// pushes its event onto an outbox list, and the silos read those lists as the "events" stream.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// How many queues (Orleans pulling agents, spread over the silos) read the outboxes. An entity's events always go
    /// to the same queue, so they are delivered in the order they were written. Changing it moves entities between
    /// lists: drain the lists first (operations.md).
    /// </summary>
    public int Queues { get; set; } = 4;

    /// <summary>Whether message events carry the body (base64). Off: ids and seqs only.</summary>
    public bool IncludeBodies { get; set; }

    /// <summary>
    /// How often a queue reads its lists on a sharded store, where a queue has one list per hash slot it owns (about
    /// 16,384 / <see cref="Queues"/>). On one shard a queue has one list and is read at Orleans' pace (every 100 ms).
    /// </summary>
    public TimeSpan ShardedPollPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most entries read from one list per poll.</summary>
    public int ReadBatch { get; set; } = 256;
}
