using ImActors.Grains.Events.Stream;
using ImActors.Grains.Interfaces.Events;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace ImActors.Grains.Events;

/// <summary>The "events" stream provider on a silo: the outbox lists read as <see cref="EventOptions.Queues"/> streams (decision 109).</summary>
internal static class EventStreamSetup
{
    public static ISiloBuilder AddEventStream(this ISiloBuilder silo, EventOptions options) =>
        silo.AddPersistentStreams(EventStreams.Provider, OutboxQueueAdapterFactory.Create, stream =>
        {
            stream.Configure<HashRingStreamQueueMapperOptions>(o => o.Configure(m => m.TotalQueueCount = Math.Max(1, options.Queues)));
            // Consumers are grains subscribed by their type: no pub-sub store to run.
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        });
}
