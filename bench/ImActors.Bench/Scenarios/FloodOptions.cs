using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>flood</c> runs: the well-behaved load, and how hard the one flooder pushes past its limit.</summary>
public sealed record FloodOptions(int Pairs, double Rate, TimeSpan Duration, TimeSpan Warmup, int Size, double Factor, int Rounds)
{
    private static readonly Option<int> PairsOption = BenchOption.Int("--pairs", 500, 1, 5_000, "Well-behaved sender and recipient pairs (500: 1,000 clients)");

    private static readonly Option<double> RateOption = BenchOption.Double("--rate", 1000, 1, 1_000_000, "1:1 sends per second of the well-behaved clients, in all");

    private static readonly Option<double> FactorOption = BenchOption.Double(
        "--factor", 100, 1, 10_000, "The flooder sends this many times its per-connection message limit");

    private static readonly Option<int> RoundsOption = BenchOption.Int(
        "--rounds", 2, 1, 20, "Pairs of phases, one alone and one flooded each, run alternating (2: alone, flooded, flooded, alone)");

    public static IReadOnlyList<Option> Declared =>
        [PairsOption, RateOption, LoadOptions.Duration, LoadOptions.Warmup, LoadOptions.Size, FactorOption, RoundsOption];

    public static FloodOptions Read(ParseResult parse) => new(
        parse.GetValue(PairsOption),
        parse.GetValue(RateOption),
        TimeSpan.FromSeconds(parse.GetValue(LoadOptions.Duration)),
        TimeSpan.FromSeconds(parse.GetValue(LoadOptions.Warmup)),
        parse.GetValue(LoadOptions.Size),
        parse.GetValue(FactorOption),
        parse.GetValue(RoundsOption));
}
