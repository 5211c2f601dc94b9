namespace ImActors.Verifier.Events;

/// <summary>
/// Every event the receiver took, once per event id (the stream delivers at least once, so a repeat with the same id is
/// expected after a failure and only counted), and the <c>message.stored</c> events by the message they name.
/// </summary>
public sealed class ReceivedEvents
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StreamEvent> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StreamEvent>> _storedByMessage = new(StringComparer.Ordinal);
    private DateTime _lastNew = DateTime.UtcNow;

    /// <summary>Requests the receiver answered 2xx, repeats included.</summary>
    public long Deliveries { get; private set; }

    /// <summary>Deliveries of an event id already taken: the at-least-once repeats, allowed.</summary>
    public long Repeats { get; private set; }

    /// <summary>Requests refused for a bad signature or an unreadable body.</summary>
    public long Refused { get; private set; }

    /// <summary>When the last event not seen before arrived (UTC).</summary>
    public DateTime LastNew
    {
        get
        {
            lock (_lock)
            {
                return _lastNew;
            }
        }
    }

    public void Take(StreamEvent e)
    {
        lock (_lock)
        {
            Deliveries++;
            if (!_byId.TryAdd(e.Id, e))
            {
                Repeats++;
                return;
            }

            _lastNew = DateTime.UtcNow;
            if (e is { Type: StreamEvent.MessageStored, MessageId: { } message })
            {
                if (!_storedByMessage.TryGetValue(message, out var events))
                {
                    events = [];
                    _storedByMessage.Add(message, events);
                }

                events.Add(e);
            }
        }
    }

    public void Refuse()
    {
        lock (_lock)
        {
            Refused++;
        }
    }

    /// <summary>The distinct <c>message.stored</c> events naming <paramref name="messageId"/> (after deduplication by event id).</summary>
    public IReadOnlyList<StreamEvent> StoredEventsOf(string messageId)
    {
        lock (_lock)
        {
            return _storedByMessage.TryGetValue(messageId, out var events) ? [.. events] : [];
        }
    }

    /// <summary>Every distinct event taken so far.</summary>
    public IReadOnlyList<StreamEvent> All()
    {
        lock (_lock)
        {
            return [.. _byId.Values];
        }
    }
}
