using ImActors.Grains.Interfaces.Events;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace ImActors.Grains.Events.Stream;

/// <summary>
/// One outbox entry on its way to the consumers: the event, its stream (its queue's) and a sequence token. The list it
/// came from and its stored form stay on the reading silo (not serialized): the receiver removes it by them once
/// Orleans reports it delivered.
/// </summary>
[GenerateSerializer, Alias("imactors.OutboxBatch")]
public sealed class OutboxBatch : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; init; }

    [Id(1)]
    public required ImEvent Event { get; init; }

    [Id(2)]
    public required EventSequenceTokenV2 Token { get; init; }

    /// <summary>The outbox list the entry was read from (on the reading silo only).</summary>
    [NonSerialized]
    public string List = "";

    /// <summary>The entry as stored (on the reading silo only): what the trim compares.</summary>
    [NonSerialized]
    public string Stored = "";

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Event is T e && Event.Id.Length > 0 ? [Tuple.Create(e, (StreamSequenceToken)Token)] : [];

    public bool ImportRequestContext() => false;
}
