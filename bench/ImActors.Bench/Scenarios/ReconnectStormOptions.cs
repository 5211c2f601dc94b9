using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>reconnect-storm</c> runs: the clients, what waits for each, and the groups each is in.</summary>
public sealed record ReconnectStormOptions(
    int Clients, int Unread, int Size, int Sources, TimeSpan Deadline, int GroupsPerClient, int GroupSize)
{
    private static readonly Option<int> ClientsOption = BenchOption.Int("--clients", 1000, 1, 19_000, "Clients that go offline and reconnect at once");

    private static readonly Option<int> UnreadOption = BenchOption.Int("--unread", 10, 1, 10_000, "Messages that arrive for each client while it is away");

    private static readonly Option<int> SourcesOption = BenchOption.Int("--sources", 1, 1, 250, "Source addresses the clients connect from");

    private static readonly Option<double> DeadlineOption = BenchOption.Double("--deadline", 120, 1, 3600, "Seconds until the storm is given up");

    private static readonly Option<int> GroupsPerClientOption = BenchOption.Int("--groups-per-client", 0, 0, 1000, "Groups each client is a member of");

    private static readonly Option<int> GroupSizeOption = BenchOption.Int("--group-size", 50, 2, 1000, "Members of each of those groups");

    public static IReadOnlyList<Option> Declared =>
        [ClientsOption, UnreadOption, LoadOptions.Size, SourcesOption, DeadlineOption, GroupsPerClientOption, GroupSizeOption];

    public static ReconnectStormOptions Read(ParseResult parse) => new(
        parse.GetValue(ClientsOption),
        parse.GetValue(UnreadOption),
        parse.GetValue(LoadOptions.Size),
        parse.GetValue(SourcesOption),
        TimeSpan.FromSeconds(parse.GetValue(DeadlineOption)),
        parse.GetValue(GroupsPerClientOption),
        parse.GetValue(GroupSizeOption));
}
