using ImActors.Grains.Interfaces.Events;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ImActors.Samples.NotificationService;

/// <summary>
/// Subscribes to every queue's stream and hands each event to <see cref="IEventHandler"/> once: the stream delivers at
/// least once, so recent ids are remembered and repeats dropped. A subscription is kept by the cluster (in its pub-sub
/// store), so a restarted service resumes the ones it had instead of adding more.
/// </summary>
public sealed class EventSubscription(IClusterClient client, IEventHandler handler, ILogger<EventSubscription> logger) : IAsyncObserver<ImEvent>
{
    private const int RememberedIds = 100_000;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly List<StreamSubscriptionHandle<ImEvent>> _handles = [];

    public async Task StartAsync(int queues)
    {
        foreach (var stream in EventStreamClient.Streams(client, queues))
        {
            var existing = await stream.GetAllSubscriptionHandles();
            if (existing.Count == 0)
            {
                _handles.Add(await stream.SubscribeAsync(this));
                continue;
            }

            // Subscriptions outlive this process: resume one, and drop any others a crashed run left behind.
            _handles.Add(await existing[0].ResumeAsync(this));
            foreach (var extra in existing.Skip(1))
            {
                await extra.UnsubscribeAsync();
            }
        }

        logger.LogInformation("Subscribed to {Count} event queues", queues);
    }

    /// <summary>Ends the subscriptions: events of the time the service is stopped are not kept for it.</summary>
    public async Task StopAsync()
    {
        foreach (var handle in _handles)
        {
            await handle.UnsubscribeAsync();
        }

        _handles.Clear();
    }

    public async Task OnNextAsync(ImEvent item, StreamSequenceToken? token = null)
    {
        // Queues deliver concurrently; the handler sees one event at a time.
        await _one.WaitAsync();
        try
        {
            if (!Remember(item.Id))
            {
                return;
            }

            await handler.HandleAsync(item);
        }
        catch (Exception e)
        {
            // One bad event must not end the subscription; the event is logged with its id for a look by hand.
            logger.LogError(e, "Handling event {EventId} ({EventType}) failed", item.Id, item.Type);
        }
        finally
        {
            _one.Release();
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Event stream error");
        return Task.CompletedTask;
    }

    private bool Remember(string id)
    {
        if (!_seen.Add(id))
        {
            return false;
        }

        _seenOrder.Enqueue(id);
        if (_seenOrder.Count > RememberedIds)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }

        return true;
    }
}

/// <summary>What the service does with each event.</summary>
public interface IEventHandler
{
    Task HandleAsync(ImEvent e);
}
