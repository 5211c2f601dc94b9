using System.CommandLine;
using ImActors.Bench.Report;
using ImActors.Bench.Scenarios;
using ImActors.Bench.Servers;

namespace ImActors.Bench.Cli;

/// <summary>
/// One command per scenario, taking the scenario's own options and the common ones and nothing else: an option
/// the scenario does not take is an error, so a typo never silently runs the defaults.
/// </summary>
public static class ScenarioCommands
{
    public static IReadOnlyList<Command> All() =>
    [
        Create("connections", "Idle authenticated connections from several generator processes: connect rate, memory and idle CPU per connection",
            ConnectionsOptions.Declared, parse => new ConnectionsScenario(ConnectionsOptions.Read(parse))),
        Create("direct", "1:1 messages between pairs of users at a fixed rate: latency, throughput and server CPU per message",
            DirectOptions.Declared, parse => new DirectScenario(DirectOptions.Read(parse))),
        Create("group", "Messages to groups whose members are all online: latency and server CPU per delivery",
            GroupOptions.Declared, parse => new GroupScenario(GroupOptions.Read(parse))),
        Create("big-group", "One very large, mostly offline group against a small one: what a send costs per member (ImActors only)",
            BigGroupOptions.Declared, parse => new BigGroupScenario(BigGroupOptions.Read(parse))),
        Create("reconnect-storm", "Clients go offline, messages arrive for them, then all reconnect at once and sync (durable targets only)",
            ReconnectStormOptions.Declared, parse => new ReconnectStormScenario(ReconnectStormOptions.Read(parse))),
        Create("restart", "Fill the single-process node, kill it, and time its restart until every ACKed message is back",
            RestartOptions.Declared, parse => new RestartScenario(RestartOptions.Read(parse))),
        Create("flood", "One client flooding at many times its message limit next to well-behaved ones: their latency with and without it",
            FloodOptions.Declared, parse => new FloodScenario(FloodOptions.Read(parse))),
        Create("presence", "Connected users watching others' presence while those log in and out: watcher pushes, login-to-push latency, CPU per change",
            PresenceOptions.Declared, parse => new PresenceScenario(PresenceOptions.Read(parse))),
        Create("ramp", "The direct load raised step by step until p99 exceeds the bound: the highest rate held",
            RampOptions.Declared, parse => new RampScenario(RampOptions.Read(parse))),
    ];

    private static Command Create(string name, string description, IReadOnlyList<Option> options, Func<ParseResult, Scenario> scenario)
    {
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        CommonOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await RunAsync(scenario(parse), parse, cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(Scenario scenario, ParseResult parse, CancellationToken cancellationToken)
    {
        var serverOptions = CommonOptions.Read(parse, scenario.DefaultEdges, scenario.ServerSettings);
        var (target, servers) = await ServerSide.OpenAsync(serverOptions, cancellationToken);
        await using (servers)
        {
            var report = new BenchReport(scenario.Name, target.Name, CommandLine.Current);
            if (serverOptions.Kind == "imactors" && serverOptions.Urls.Count == 0 && !serverOptions.SingleProcess)
            {
                report.Add("store", serverOptions.Store.ToString());
            }

            if (serverOptions.Settings.Count > 0)
            {
                report.Add("server_config", string.Join(',', serverOptions.Settings));
            }

            await scenario.RunAsync(target, servers, report, cancellationToken);
            report.Write(Console.Out);
        }
    }
}
