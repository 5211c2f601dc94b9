using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>direct</c> runs: the load and how long it is measured.</summary>
public sealed record DirectOptions(int Pairs, double Rate, TimeSpan Duration, TimeSpan Warmup, int Size, int Idle, bool Alloc)
{
    private static readonly Option<double> RateOption = BenchOption.Double("--rate", 1000, 1, 1_000_000, "1:1 sends per second, in all");

    public static IReadOnlyList<Option> Declared =>
        [LoadOptions.Pairs, RateOption, LoadOptions.Duration, LoadOptions.Warmup, LoadOptions.Size, LoadOptions.Idle, LoadOptions.Alloc];

    public static DirectOptions Read(ParseResult parse) => new(
        parse.GetValue(LoadOptions.Pairs),
        parse.GetValue(RateOption),
        TimeSpan.FromSeconds(parse.GetValue(LoadOptions.Duration)),
        TimeSpan.FromSeconds(parse.GetValue(LoadOptions.Warmup)),
        parse.GetValue(LoadOptions.Size),
        parse.GetValue(LoadOptions.Idle),
        parse.GetValue(LoadOptions.Alloc));
}
