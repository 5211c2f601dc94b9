using System.Diagnostics;
using System.Globalization;

namespace ImActors.Bench.Measurement;

/// <summary>
/// Every message slower than a bound, written as it arrives: which latency (delivery or ack), its scheduled time in
/// seconds of the monotonic clock, and its latency in milliseconds. A percentile says how bad the tail is; this says
/// when it happened, so a stall can be laid over a trace of the server taken at the same time
/// (<c>perf record -k mono</c> stamps its events with the same clock). Off unless
/// <c>IMACTORS_BENCH_SLOW_LOG</c> names a file; <c>IMACTORS_BENCH_SLOW_MS</c> sets the bound (10 ms).
/// </summary>
public sealed class SlowMessageLog
{
    private readonly StreamWriter _writer;
    private readonly long _boundMicros;
    private readonly Lock _lock = new();

    /// <summary>Appends to <paramref name="path"/> every latency of at least <paramref name="boundMs"/>.</summary>
    public static SlowMessageLog Open(string path, double boundMs) => new(path, boundMs);

    private SlowMessageLog(string path, double boundMs)
    {
        _writer = new StreamWriter(path, append: true) { AutoFlush = false };
        _boundMicros = (long)(boundMs * 1000);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush();
    }

    /// <summary>The log the environment asks for, or null: one per process, shared by every recorder.</summary>
    public static SlowMessageLog? Shared { get; } = FromEnvironment();

    private static SlowMessageLog? FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable("IMACTORS_BENCH_SLOW_LOG");
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var bound = double.TryParse(Environment.GetEnvironmentVariable("IMACTORS_BENCH_SLOW_MS"), NumberStyles.Float,
            CultureInfo.InvariantCulture, out var ms) && ms >= 0 ? ms : 10;
        try
        {
            return Open(path, bound);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A diagnostic aid: a run without it is still a valid run, so it goes on and says why the log is missing.
            Console.Error.WriteLine($"IMACTORS_BENCH_SLOW_LOG: cannot write {path} ({e.Message.TrimEnd('.')}); running without it");
            return null;
        }
    }

    public void Record(string kind, long scheduledTimestamp, long micros)
    {
        if (micros < _boundMicros)
        {
            return;
        }

        var scheduled = scheduledTimestamp / (double)Stopwatch.Frequency;
        lock (_lock)
        {
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} {scheduled:F4} {micros / 1000.0:F1}"));
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            _writer.Flush();
        }
    }
}
