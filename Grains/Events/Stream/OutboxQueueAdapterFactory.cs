using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace ImActors.Grains.Events.Stream;

/// <summary>
/// The "events" stream provider's queues: each Orleans queue reads its outbox lists (<see cref="OutboxKeys"/>) as one
/// stream, <c>events/q&lt;n&gt;</c>. Read-only: events are written by the store steps they report, never through
/// Orleans (decision 109).
/// </summary>
internal sealed class OutboxQueueAdapterFactory(
    string name, StoreConnection store, EventOutbox outbox, EventOptions options, HashRingStreamQueueMapperOptions mapper,
    SimpleQueueCacheOptions cache, TimeProvider time, ILoggerFactory loggers) : IQueueAdapterFactory, IQueueAdapter
{
    private readonly HashRingBasedStreamQueueMapper _mapper = new(mapper, name);
    private readonly SimpleQueueAdapterCache _cache = new(cache, name, loggers);

    public static OutboxQueueAdapterFactory Create(IServiceProvider services, string name) =>
        new(name, services.GetRequiredService<StoreConnection>(), services.GetRequiredService<EventOutbox>(),
            services.GetRequiredService<IOptions<EventOptions>>().Value, services.GetOptionsByName<HashRingStreamQueueMapperOptions>(name),
            services.GetOptionsByName<SimpleQueueCacheOptions>(name), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>());

    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    /// <summary>The stream of queue <paramref name="queue"/>: its consumers are the activations keyed "q&lt;n&gt;".</summary>
    public static StreamId StreamOf(int queue) => StreamId.Create(EventStreams.Namespace, "q" + queue);

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    // Nothing to skip to: a consumer that keeps failing is the consumer's to handle (the webhooks dead-letter).
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var queue = (int)queueId.GetNumericId();
        return new OutboxReceiver(store, outbox.Keys.ListsOf(queue), StreamOf(queue), options, outbox.Keys.Sharded, time,
            loggers.CreateLogger<OutboxReceiver>());
    }

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException("events are written by the store step of the change they report, not through the stream");
}
