using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>presence</c> runs: the connected watchers, how many users each watches, and the churn of logins.</summary>
/// <param name="Session">How long each login stays connected before it leaves again (its user then goes offline after the server's grace).</param>
public sealed record PresenceOptions(int Users, int Watches, double Churn, TimeSpan Session, TimeSpan Duration, TimeSpan Warmup)
{
    private static readonly Option<int> UsersOption = BenchOption.Int("--users", 10_000, 1, 18_000, "Connected users, each watching --watches others");

    private static readonly Option<int> WatchesOption = BenchOption.Int("--watches", 100, 1, 500, "Users each connected user watches (the edge allows 500 per connection)");

    private static readonly Option<double> ChurnOption = BenchOption.Double("--churn", 100, 0.1, 10_000, "Logins per second of watched users, in all");

    private static readonly Option<double> SessionOption = BenchOption.Double("--session", 2, 0.1, 600, "Seconds each login stays connected");

    private static readonly Option<double> DurationOption = BenchOption.Double("--duration", 30, 0.5, 3600, "Seconds of measured churn");

    private static readonly Option<double> WarmupOption = BenchOption.Double("--warmup", 10, 0, 3600, "Seconds of churn before the measurement");

    public static IReadOnlyList<Option> Declared => [UsersOption, WatchesOption, ChurnOption, SessionOption, DurationOption, WarmupOption];

    public static PresenceOptions Read(ParseResult parse) => new(
        parse.GetValue(UsersOption),
        parse.GetValue(WatchesOption),
        parse.GetValue(ChurnOption),
        TimeSpan.FromSeconds(parse.GetValue(SessionOption)),
        TimeSpan.FromSeconds(parse.GetValue(DurationOption)),
        TimeSpan.FromSeconds(parse.GetValue(WarmupOption)));
}
