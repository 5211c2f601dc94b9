using ImActors.Grains.Events.Stream;
using ImActors.Grains.Interfaces.Events;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;
using StackExchange.Redis;

namespace ImActors.Grains.Events;

/// <summary>The "events" stream provider on a silo: the outbox lists read as <see cref="EventOptions.Queues"/> streams (decision 109).</summary>
internal static class EventStreamSetup
{
    /// <summary>The grain storage Orleans keeps explicit stream subscriptions in (its default name for it).</summary>
    public const string PubSubStore = "PubSubStore";

    public static ISiloBuilder AddEventStream(this ISiloBuilder silo, EventOptions options, ConfigurationOptions store)
    {
        // Explicit subscriptions (Orleans clients, such as a business service: decision 122) are kept in the store the
        // silos already use, so they outlive a silo; grains in the silos still consume through implicit subscriptions.
        silo.AddRedisGrainStorage(PubSubStore, o => o.ConfigurationOptions = store);
        return silo.AddPersistentStreams(EventStreams.Provider, OutboxQueueAdapterFactory.Create, stream =>
        {
            stream.Configure<HashRingStreamQueueMapperOptions>(o => o.Configure(m => m.TotalQueueCount = Math.Max(1, options.Queues)));
            stream.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedAndImplicit);
        });
    }
}
