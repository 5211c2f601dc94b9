using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>ramp</c> runs: the <c>direct</c> load, its steps, and the bound a step must hold.</summary>
public sealed record RampOptions(
    int Pairs, double StartRate, double Factor, double MaxRate, TimeSpan StepDuration, TimeSpan Warmup, double P99BoundMs,
    int Size, int Idle, TimeSpan Settle)
{
    private static readonly Option<double> StartRateOption = BenchOption.Double("--start-rate", 1000, 1, 1_000_000, "Sends per second of the first step");

    private static readonly Option<double> FactorOption = BenchOption.Double("--factor", 1.25, 1.01, 10, "Each step's rate over the one before");

    private static readonly Option<double> MaxRateOption = BenchOption.Double("--max-rate", 200_000, 1, 10_000_000, "The last step's rate at most");

    private static readonly Option<double> StepDurationOption = BenchOption.Double("--step-duration", 5, 0.5, 600, "Seconds measured per step");

    private static readonly Option<double> WarmupOption = BenchOption.Double("--warmup", 1, 0, 600, "Seconds of unmeasured load before each step");

    private static readonly Option<double> P99Option = BenchOption.Double("--p99-ms", 10, 0.01, 60_000, "The p99 latency a step must stay within, in ms");

    private static readonly Option<double> SettleOption = BenchOption.Double(
        "--settle", LoadOptions.SteadyStateWarmupSeconds, 0, 600, "Seconds of unmeasured load at the start rate before the first step");

    public static IReadOnlyList<Option> Declared =>
    [
        LoadOptions.Pairs, StartRateOption, FactorOption, MaxRateOption, StepDurationOption, WarmupOption, P99Option,
        LoadOptions.Size, LoadOptions.Idle, SettleOption,
    ];

    public static RampOptions Read(ParseResult parse)
    {
        var options = new RampOptions(
            parse.GetValue(LoadOptions.Pairs),
            parse.GetValue(StartRateOption),
            parse.GetValue(FactorOption),
            parse.GetValue(MaxRateOption),
            TimeSpan.FromSeconds(parse.GetValue(StepDurationOption)),
            TimeSpan.FromSeconds(parse.GetValue(WarmupOption)),
            parse.GetValue(P99Option),
            parse.GetValue(LoadOptions.Size),
            parse.GetValue(LoadOptions.Idle),
            TimeSpan.FromSeconds(parse.GetValue(SettleOption)));
        if (options.StartRate > options.MaxRate)
        {
            throw new BenchUsageException("--start-rate is above --max-rate");
        }

        return options;
    }
}
