using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ImActors.Grains.Store;

/// <summary>
/// The store's instruments (meter <c>ImActors.Store</c>): every call the grains make, and the group commit's rounds.
/// One static meter: a silo has one store, and the calls are made from classes built outside dependency injection.
/// </summary>
internal static class StoreMetrics
{
    public const string MeterName = "ImActors.Store";

    private static readonly double[] MillisecondBuckets = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1000, 5000];

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Calls = Meter.CreateHistogram<double>(
        "imactors.store.duration", "ms", "A store call, its commit wait included",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });

    private static readonly Counter<long> Unavailable = Meter.CreateCounter<long>(
        "imactors.store.unavailable", "{call}", "Store calls that failed as unavailable (the client is told to retry)");

    private static readonly Histogram<double> CommitRounds = Meter.CreateHistogram<double>(
        "imactors.store.commit.duration", "ms", "One group commit round, from its start to on disk",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });

    private static readonly Histogram<long> CommitBatch = Meter.CreateHistogram<long>(
        "imactors.store.commit.batch", "{call}", "Calls that one group commit round made durable together",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    public static void Call(long startedAt) => Calls.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);

    public static void CallUnavailable() => Unavailable.Add(1);

    public static void Round(long startedAt, int waiters)
    {
        CommitRounds.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
        CommitBatch.Record(waiters);
    }
}
