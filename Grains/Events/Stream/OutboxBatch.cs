using ImActors.Grains.Interfaces.Events;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace ImActors.Grains.Events.Stream;

/// <summary>
/// One outbox entry on its way to the consumers: the event, its stream (its queue's) and a sequence token, by which
/// the reading silo's receiver knows where in which list the entry is.
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

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Event is T e && Event.Id.Length > 0 ? [Tuple.Create(e, (StreamSequenceToken)Token)] : [];

    public bool ImportRequestContext() => false;
}
