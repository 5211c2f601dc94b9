using ImActors.Bench.Measurement;

namespace ImActors.Bench.Load;

/// <summary>What happened to the messages of one run; every connection of the run reports here.</summary>
public sealed class LoadCounters
{
    private long _sent;
    private long _acked;
    private long _errors;
    private long _received;
    private long _measuredReceived;

    public LatencyRecorder Latency { get; } = new("delivery", SlowMessageLog.Shared);

    /// <summary>From a measured send's scheduled time to its ACK (SignalR: the hub method's completion).</summary>
    public LatencyRecorder AckLatency { get; } = new("ack", SlowMessageLog.Shared);

    public long Sent => Interlocked.Read(ref _sent);
    public long Acked => Interlocked.Read(ref _acked);
    public long Errors => Interlocked.Read(ref _errors);
    public long Received => Interlocked.Read(ref _received);
    public long MeasuredReceived => Interlocked.Read(ref _measuredReceived);

    /// <summary>The first error seen, so a failing run says why in one line.</summary>
    public string? FirstError { get; private set; }

    public void OnSent() => Interlocked.Increment(ref _sent);

    /// <summary>A send was ACKed; <paramref name="scheduledTimestamp"/> is its due time when it was measured, else 0.</summary>
    public void OnAcked(long scheduledTimestamp = 0)
    {
        Interlocked.Increment(ref _acked);
        if (scheduledTimestamp != 0)
        {
            AckLatency.Record(scheduledTimestamp);
        }
    }

    public void OnError(string reason)
    {
        Interlocked.Increment(ref _errors);
        FirstError ??= reason;
    }

    /// <summary>A message reached a recipient: record its latency when it was sent inside the measured window.</summary>
    public void OnDelivered(ReadOnlySpan<byte> body)
    {
        Interlocked.Increment(ref _received);
        if (MessageStamp.TryRead(body, out var scheduled, out var measured) && measured)
        {
            Interlocked.Increment(ref _measuredReceived);
            Latency.Record(scheduled);
        }
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _acked, 0);
        Interlocked.Exchange(ref _errors, 0);
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _measuredReceived, 0);
        FirstError = null;
        Latency.Reset();
        AckLatency.Reset();
    }
}
