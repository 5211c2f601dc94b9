using System.Diagnostics;
using HdrHistogram;

namespace ImActors.Bench.Measurement;

/// <summary>
/// Latency from the moment a message was <em>scheduled</em> to be sent to the moment the recipient's socket
/// delivered it. Measuring from the schedule, not from when the generator got round to sending, is what
/// corrects for coordinated omission: a stalled server makes every message queued behind the stall late.
/// </summary>
public sealed class LatencyRecorder(string kind = "delivery", SlowMessageLog? slow = null)
{
    private readonly LongHistogram _histogram = new(60_000_000, 3); // microseconds, up to a minute
    private readonly Lock _lock = new();

    public void Record(long scheduledTimestamp)
    {
        var micros = (Stopwatch.GetTimestamp() - scheduledTimestamp) * 1_000_000 / Stopwatch.Frequency;
        slow?.Record(kind, scheduledTimestamp, micros);
        lock (_lock)
        {
            _histogram.RecordValue(Math.Clamp(micros, 0, _histogram.HighestTrackableValue));
        }
    }

    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _histogram.TotalCount;
            }
        }
    }

    public LatencySummary Summary()
    {
        lock (_lock)
        {
            if (_histogram.TotalCount == 0)
            {
                return new LatencySummary(0, null, null, null, null);
            }

            return new LatencySummary(
                _histogram.TotalCount,
                _histogram.GetValueAtPercentile(50) / 1000.0,
                _histogram.GetValueAtPercentile(99) / 1000.0,
                _histogram.GetValueAtPercentile(99.9) / 1000.0,
                _histogram.GetMaxValue() / 1000.0);
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _histogram.Reset();
        }
    }
}

/// <summary>Percentiles in milliseconds; null when nothing was received.</summary>
public sealed record LatencySummary(long Count, double? P50Ms, double? P99Ms, double? P999Ms, double? MaxMs);
