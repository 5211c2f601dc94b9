using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>group</c> runs: how many groups of how many members, who sends, and the load.</summary>
public sealed record GroupOptions(
    int Groups, int Members, int Senders, double Rate, TimeSpan Duration, TimeSpan Warmup, int Size, bool Alloc)
{
    private static readonly Option<int> GroupsOption = BenchOption.Int("--groups", 10, 1, int.MaxValue, "Groups");

    private static readonly Option<int> MembersOption = BenchOption.Int("--members", 100, 2, 100_000, "Members per group, all online");

    private static readonly Option<int> SendersOption = BenchOption.Int("--senders", 1, 1, 100_000, "Members of each group that send");

    private static readonly Option<double> RateOption = BenchOption.Double("--rate", 100, 1, 1_000_000, "Group sends per second, in all");

    public static IReadOnlyList<Option> Declared =>
    [
        GroupsOption, MembersOption, SendersOption, RateOption, LoadOptions.Duration, LoadOptions.Warmup, LoadOptions.Size, LoadOptions.Alloc,
    ];

    public static GroupOptions Read(ParseResult parse)
    {
        var options = new GroupOptions(
            parse.GetValue(GroupsOption),
            parse.GetValue(MembersOption),
            parse.GetValue(SendersOption),
            parse.GetValue(RateOption),
            TimeSpan.FromSeconds(parse.GetValue(LoadOptions.Duration)),
            TimeSpan.FromSeconds(parse.GetValue(LoadOptions.Warmup)),
            parse.GetValue(LoadOptions.Size),
            parse.GetValue(LoadOptions.Alloc));
        if (options.Senders > options.Members)
        {
            throw new BenchUsageException("--senders is per group and cannot exceed --members");
        }

        return options;
    }
}
