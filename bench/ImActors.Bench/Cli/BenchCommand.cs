using System.CommandLine;
using System.CommandLine.Parsing;
using ImActors.Bench.Report;
using ImActors.Bench.Scenarios;
using ImActors.Bench.Servers;

namespace ImActors.Bench.Cli;

/// <summary>
/// The tool's command line: a command per scenario, the calibration relay, <c>summarize</c>, and the hidden
/// generator processes of <c>connections</c>. Bad input is one line (<see cref="Error"/>), exit code 2.
/// </summary>
public static class BenchCommand
{
    private const string Usage = "usage: ImActors.Bench <scenario> [--option value ...]; --help lists the scenarios, <scenario> --help its options";

    // Arguments are taken as typed: an argument starting with @ is not a file of further arguments.
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    public static ParseResult Parse(IReadOnlyList<string> args) => Create().Parse(args, Parser);

    public static RootCommand Create()
    {
        var root = new RootCommand("ImActors.Bench: open-loop load against ImActors, a peer or the calibration relay (docs/benchmarks.md)");
        foreach (var scenario in ScenarioCommands.All())
        {
            root.Subcommands.Add(scenario);
        }

        root.Subcommands.Add(Relay());
        root.Subcommands.Add(Summarize());
        root.Subcommands.Add(ConnectionsWorker.Command());
        return root;
    }

    /// <summary>The first thing wrong with the command line, as one line; null when nothing is.</summary>
    public static string? Error(ParseResult parse)
    {
        foreach (var option in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (option.IdentifierTokenCount > 1)
            {
                return $"option {option.Option.Name} given twice";
            }

            // A value never starts with "--": "--rate --pairs 3" is a rate left out, not a rate of "--pairs".
            if (option.Tokens.Any(t => t.Value.StartsWith("--", StringComparison.Ordinal)))
            {
                return $"option {option.Option.Name} needs a value";
            }
        }

        if (parse.Errors.Count == 0)
        {
            return null;
        }

        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens is [var token, ..])
        {
            if (command is RootCommand)
            {
                return token.StartsWith('-')
                    ? $"unknown option {token}: {Usage}"
                    : $"unknown scenario '{token}': use {string.Join(", ", ScenarioCommands.All().Select(c => c.Name))} (or relay, summarize)";
            }

            return token.StartsWith('-')
                ? $"unknown option {token.Split('=', 2)[0]} for '{command.Name}'"
                : $"unexpected argument '{token}': options look like --name value";
        }

        if (command is RootCommand)
        {
            return Usage;
        }

        // In the parser's own words this depends on the machine's language; this reads the same everywhere.
        return parse.Errors[0].SymbolResult is OptionResult { Tokens.Count: 0, Option.Arity.MinimumNumberOfValues: > 0 } empty
            ? $"option {empty.Option.Name} needs a value"
            : parse.Errors[0].Message;
    }

    private static Command Relay()
    {
        var port = BenchOption.Int("--port", 7390, 1, 65535, "The TCP port to listen on (loopback)");
        var command = new Command("relay", "The calibration target: speaks the client protocol and only relays 1:1 messages") { port };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await RelayServer.RunAsync(parse.GetValue(port), cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command Summarize()
    {
        var files = new Argument<string[]>("files") { Description = "The output files of the runs", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("summarize", "Median and range of every figure over repeated runs, per target, and ImActors' ratio to each peer") { files };
        command.SetAction(parse => RunSummary.Run(parse.GetValue(files) ?? [], Console.Out));
        return command;
    }
}
