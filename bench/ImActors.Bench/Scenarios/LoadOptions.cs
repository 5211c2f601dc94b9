using System.CommandLine;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;

namespace ImActors.Bench.Scenarios;

/// <summary>Options that several scenarios take with the same meaning and default, declared once.</summary>
public static class LoadOptions
{
    /// <summary>
    /// Unmeasured load before a steady-state measurement starts (default of --warmup, and of ramp's --settle).
    /// A server pinned to one busy core keeps tiering code up for tens of seconds: shorter measured the JIT
    /// (docs/decisions/0069-grain-types-resolved-once-one-edge-cache.md).
    /// </summary>
    public const double SteadyStateWarmupSeconds = 30;

    public static readonly Option<int> Pairs = BenchOption.Int("--pairs", 200, 1, int.MaxValue, "Sender and recipient pairs");

    public static readonly Option<double> Duration = BenchOption.Double("--duration", 10, 0.5, 3600, "Seconds of measured load");

    public static readonly Option<double> Warmup = BenchOption.Double(
        "--warmup", SteadyStateWarmupSeconds, 0, 600, "Seconds of unmeasured load before the measurement");

    public static readonly Option<int> Size = BenchOption.Int("--size", 100, MessageStamp.MinSize, 60_000, "Message body bytes");

    public static readonly Option<int> Idle = BenchOption.Int("--idle", 0, 0, 19_000, "Extra idle connections held during the load");

    public static readonly Option<bool> Alloc = BenchOption.Flag("--alloc", "Also measure the servers' allocations per message");
}
