using ImActors.Grains.Events;
using ImActors.Grains.Events.Stream;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Store;
using ImActors.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Events;

/// <summary>
/// The outbox receiver under Orleans' own queue cache (<see cref="SimpleQueueCache"/>, the one the "events" provider
/// uses), driven step by step as the pulling agent drives it, against a real store: deliveries that fail, a second
/// reader of the same queue during a hand-over, and a reader that dies with entries in its cache (decision 134).
/// Every entry must reach a consumer, the list must empty, and the repeats must stay few. On redis-server and on the
/// single node's embedded store, whose Lua runs the same scripts.
/// </summary>
public abstract class OutboxReceiverTests : IAsyncLifetime
{
    private ConnectionMultiplexer _mux = null!;
    private StoreConnection _store = null!;
    private readonly RedisKey _list = "im:ev:{q0}";

    protected abstract Task<StoreConnection> StartAsync(Func<string, Task<ConnectionMultiplexer>> connect);

    protected abstract ValueTask StopAsync();

    public async Task InitializeAsync() =>
        _store = await StartAsync(async address => _mux = await ConnectionMultiplexer.ConnectAsync(address));

    public async Task DisposeAsync()
    {
        await _mux.DisposeAsync();
        await StopAsync();
    }

    [Fact]
    public async Task EveryEntry_IsDelivered_AndTheListEmpties_ThoughSomeDeliveriesFail()
    {
        var consumer = new Consumer(failFirstTime: id => id % 29 == 7);
        var agent = new Agent(NewReceiver(), consumer);

        for (var i = 0; i < 3000; i++)
        {
            await PushAsync(i);
            if (i % 40 == 0)
            {
                await agent.StepAsync();
            }
        }

        // A failure is read again once a later entry of its queue is reported delivered: one more entry after the run.
        await PushAsync(3000);
        await RunUntilDrainedAsync(agent);

        Assert.Equal(Enumerable.Range(0, 3001), consumer.Delivered.Keys.Order());
        Assert.Equal(0, await _mux.GetDatabase().ListLengthAsync(_list));
        // A failed entry is read again and taken then; nothing is taken twice.
        Assert.InRange(consumer.Failures, 90, 110);
        Assert.Equal(3001, consumer.Delivered.Values.Sum());
    }

    [Fact]
    public async Task TwoReaders_OfOneQueue_DuringAHandOver_SkipNothing_AndRepeatLittle()
    {
        var consumer = new Consumer(failFirstTime: id => id % 53 == 11);
        var (old, next) = (new Agent(NewReceiver(), consumer), new Agent(NewReceiver(), consumer));

        for (var i = 0; i < 4000; i++)
        {
            await PushAsync(i);
            if (i % 25 == 0)
            {
                // Both read for a while, at different paces, then the old one stops without reporting what it holds.
                if (i < 2500 && i % 50 == 0)
                {
                    await old.StepAsync();
                }

                if (i > 1000)
                {
                    await next.StepAsync();
                }
            }
        }

        await PushAsync(4000);
        await RunUntilDrainedAsync(next);

        Assert.Equal(Enumerable.Range(0, 4001), consumer.Delivered.Keys.Order());
        Assert.Equal(0, await _mux.GetDatabase().ListLengthAsync(_list));
        // The overlap repeats what both held at once: at most the old reader's cache, not the list again and again.
        Assert.InRange(consumer.Delivered.Values.Sum() - 4001, 0, 2 * Agent.CacheSize);
    }

    [Fact]
    public async Task AReaderKilled_WithEntriesInItsCache_LeavesThemToTheNext()
    {
        var consumer = new Consumer(failFirstTime: _ => false);
        var killed = new Agent(NewReceiver(), consumer, deliverPerStep: 30);
        for (var i = 0; i < 1000; i++)
        {
            await PushAsync(i);
        }

        for (var step = 0; step < 10; step++)
        {
            await killed.StepAsync();
        }

        Assert.InRange(consumer.Delivered.Count, 1, 999);
        var next = new Agent(NewReceiver(), consumer);
        await PushAsync(1000);
        await RunUntilDrainedAsync(next);

        Assert.Equal(Enumerable.Range(0, 1001), consumer.Delivered.Keys.Order());
        Assert.Equal(0, await _mux.GetDatabase().ListLengthAsync(_list));
    }

    private OutboxReceiver NewReceiver() =>
        new(_store, [_list], StreamId.Create(EventStreams.Namespace, "q0"), new EventOptions { Enabled = true }, sharded: false,
            TimeProvider.System, NullLogger.Instance);

    private Task PushAsync(int id) =>
        _mux.GetDatabase().ListRightPushAsync(_list, EventJson.Serialize(new ImEvent(id.ToString(), EventTypes.UserOnline, 0) { User = "u" + id }));

    private async Task RunUntilDrainedAsync(Agent agent)
    {
        for (var step = 0; step < 500 && (await _mux.GetDatabase().ListLengthAsync(_list) > 0 || agent.Holds); step++)
        {
            await agent.StepAsync();
        }
    }

    /// <summary>The consumer: counts deliveries per event, and fails the chosen events' first delivery.</summary>
    private sealed class Consumer(Func<int, bool> failFirstTime)
    {
        private readonly HashSet<int> _failed = [];

        public Dictionary<int, int> Delivered { get; } = [];

        public int Failures => _failed.Count;

        public bool Take(ImEvent e)
        {
            var id = int.Parse(e.Id);
            if (failFirstTime(id) && _failed.Add(id))
            {
                return false;
            }

            Delivered[id] = Delivered.GetValueOrDefault(id) + 1;
            return true;
        }
    }

    /// <summary>
    /// One pulling agent's step, as Orleans' PersistentStreamPullingAgent takes it: purge what every cursor passed and
    /// report it delivered, read unless the cache is under pressure, then move the consumer's cursor along (a failed
    /// delivery is recorded on the cache item, which then leaves the cache unreported).
    /// </summary>
    private sealed class Agent(OutboxReceiver receiver, Consumer consumer, int deliverPerStep = int.MaxValue)
    {
        public const int CacheSize = 1000;

        private readonly SimpleQueueCache _cache = new(CacheSize, NullLogger.Instance);
        private readonly StreamId _stream = StreamId.Create(EventStreams.Namespace, "q0");
        private IQueueCacheCursor? _cursor;

        public bool Holds => _cache.Size > 0;

        public async Task StepAsync()
        {
            if (_cache.TryPurgeFromCache(out var purged))
            {
                await receiver.MessagesDeliveredAsync(purged);
            }

            if (!_cache.IsUnderPressure())
            {
                var read = await receiver.GetQueueMessagesAsync(_cache.GetMaxAddCount());
                if (read.Count > 0)
                {
                    _cache.AddToCache(read);
                    _cursor ??= ((IQueueCache)_cache).TryGetCacheCursor(_stream, read[0].SequenceToken).Cursor!;
                    _cursor.Refresh(read[0].SequenceToken);
                }
            }

            for (var n = 0; n < deliverPerStep && _cursor?.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success; n++)
            {
                var batch = _cursor.GetCurrent(out _)!;
                foreach (var (e, _) in batch.GetEvents<ImEvent>())
                {
                    if (!consumer.Take(e))
                    {
                        _cursor.RecordDeliveryFailure();
                    }
                }
            }
        }
    }
}

[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class OutboxReceiverOnRedisTests : OutboxReceiverTests
{
    private readonly RedisServerProcess _redis = new();

    protected override async Task<StoreConnection> StartAsync(Func<string, Task<ConnectionMultiplexer>> connect)
    {
        await _redis.StartAsync();
        return new StoreConnection(await connect(_redis.ConnectionString), new NoCommitWait());
    }

    protected override ValueTask StopAsync() => _redis.DisposeAsync();
}

[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class OutboxReceiverOnEmbeddedStoreTests : OutboxReceiverTests
{
    private readonly EmbeddedStore _garnet = new();

    protected override async Task<StoreConnection> StartAsync(Func<string, Task<ConnectionMultiplexer>> connect)
    {
        await _garnet.StartAsync();
        return _garnet.Connect(await connect(_garnet.ConnectionString));
    }

    protected override ValueTask StopAsync() => _garnet.DisposeAsync();
}
