using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>restart</c> runs: the fill before the kill, and how long the node gets to come back.</summary>
public sealed record RestartOptions(int Messages, int Senders, int Inboxes, int Window, int Size, TimeSpan Settle, TimeSpan Deadline)
{
    private static readonly Option<int> MessagesOption = BenchOption.Int("--messages", 10_000, 1, 100_000_000, "Messages stored before the kill");

    private static readonly Option<int> SendersOption = BenchOption.Int("--senders", 32, 1, 1000, "Sending connections");

    private static readonly Option<int> InboxesOption = BenchOption.Int("--inboxes", 1000, 1, 100_000, "Inboxes the messages go to");

    private static readonly Option<int> WindowOption = BenchOption.Int("--window", 64, 1, 10_000, "Sends in flight per sender");

    private static readonly Option<double> SettleOption = BenchOption.Double("--settle", 2, 0, 3600, "Seconds between the last ACK and the kill");

    private static readonly Option<double> DeadlineOption = BenchOption.Double("--deadline", 600, 1, 3600, "Seconds for the node to come back");

    public static IReadOnlyList<Option> Declared =>
        [MessagesOption, SendersOption, InboxesOption, WindowOption, LoadOptions.Size, SettleOption, DeadlineOption];

    public static RestartOptions Read(ParseResult parse) => new(
        parse.GetValue(MessagesOption),
        parse.GetValue(SendersOption),
        parse.GetValue(InboxesOption),
        parse.GetValue(WindowOption),
        parse.GetValue(LoadOptions.Size),
        TimeSpan.FromSeconds(parse.GetValue(SettleOption)),
        TimeSpan.FromSeconds(parse.GetValue(DeadlineOption)));
}
