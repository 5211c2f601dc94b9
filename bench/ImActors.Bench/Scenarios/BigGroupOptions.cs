using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>big-group</c> runs: the group's size, who is online, and the sends.</summary>
public sealed record BigGroupOptions(int Members, int Online, int Messages, double Rate)
{
    private static readonly Option<int> MembersOption = BenchOption.Int("--members", 100_000, 2, 100_000, "Members of the big group");

    private static readonly Option<int> OnlineOption = BenchOption.Int("--online", 20, 1, 1000, "Members connected, spread over the edges");

    private static readonly Option<int> MessagesOption = BenchOption.Int("--messages", 200, 1, 100_000, "Sends per pass");

    private static readonly Option<double> RateOption = BenchOption.Double("--rate", 50, 1, 10_000, "Sends per second");

    public static IReadOnlyList<Option> Declared => [MembersOption, OnlineOption, MessagesOption, RateOption];

    public static BigGroupOptions Read(ParseResult parse)
    {
        var options = new BigGroupOptions(
            parse.GetValue(MembersOption), parse.GetValue(OnlineOption), parse.GetValue(MessagesOption), parse.GetValue(RateOption));
        if (options.Online >= options.Members)
        {
            throw new BenchUsageException("--online must be below --members");
        }

        return options;
    }
}
