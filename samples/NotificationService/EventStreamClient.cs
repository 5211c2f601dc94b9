using ImActors.Grains.Interfaces.Events;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace ImActors.Samples.NotificationService;

/// <summary>
/// The "events" stream provider as an Orleans client sees it (decision 122): the same name, queue count and pub-sub as
/// the silos', so that it can subscribe; it never reads the outbox lists (the silos do) and never writes to them.
/// </summary>
public static class EventStreamClient
{
    /// <param name="queues">The silos' <c>Events:Queues</c>: the streams are <c>events/q0</c> ... <c>q&lt;queues - 1&gt;</c>.</param>
    public static IClientBuilder AddImActorsEvents(this IClientBuilder client, int queues) =>
        client.AddPersistentStreams(EventStreams.Provider, (_, name) => new SubscribeOnly(name, queues), stream =>
            stream.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedAndImplicit));

    /// <summary>The streams of every queue, each holding one queue's events in order.</summary>
    public static IEnumerable<IAsyncStream<ImEvent>> Streams(IClusterClient client, int queues)
    {
        var provider = client.GetStreamProvider(EventStreams.Provider);
        return Enumerable.Range(0, queues).Select(q => provider.GetStream<ImEvent>(StreamId.Create(EventStreams.Namespace, "q" + q)));
    }

    /// <summary>A client's adapter: enough to subscribe, nothing to read or produce.</summary>
    private sealed class SubscribeOnly(string name, int queues) : IQueueAdapterFactory, IQueueAdapter
    {
        private readonly HashRingBasedStreamQueueMapper _mapper = new(new HashRingStreamQueueMapperOptions { TotalQueueCount = queues }, name);

        public string Name => name;

        public bool IsRewindable => false;

        public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

        public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

        public IQueueAdapterCache GetQueueAdapterCache() => throw new NotSupportedException("a client reads no queue");

        public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

        public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
            Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

        public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => throw new NotSupportedException("a client reads no queue");

        public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
            throw new NotSupportedException("events are written by the store steps of the changes they report");
    }
}
