using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ImActors.Verifier.Workloads;

namespace ImActors.Verifier;

/// <summary>
/// The command line: edges as arguments, options as <c>--name value</c>. Bad input is one line
/// (<see cref="Error"/>, or a <see cref="VerifierException"/> from <see cref="Read"/>), exit code 2.
/// </summary>
public static class VerifierArguments
{
    private static readonly VerifierOptions Defaults = new();

    // Arguments are taken as typed: an argument starting with @ is not a file of further arguments.
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    private static readonly Argument<Uri[]> Edges = new("EDGE")
    {
        Description = "Edge addresses: tcp://host:port or ws://host:port/ws. Client i starts at edge i mod count and fails over to the others",
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = ParseEdges,
    };

    private static readonly Option<int> Clients = Number("--clients", Defaults.Clients, 2, 100_000, integer: true, "Simulated users, one connection each", n => (int)n);

    private static readonly Option<double> Rate = Number(
        "--rate", Defaults.Rate, 0.01, 10_000, integer: false, "Sends per second per client (each client waits for an ACK before its next send)", n => n);

    private static readonly Option<double> Duration = Number(
        "--duration", Defaults.Duration.TotalSeconds, 1, 7 * 86400, integer: false, "Seconds of load", n => n);

    private static readonly Option<double> Drain = Number(
        "--drain", Defaults.Drain.TotalSeconds, 0, 3600, integer: false, "Seconds sends still in flight at the end may take before they count as un-ACKed", n => n);

    private static readonly Option<string[]> Workload = new("--workload")
    {
        Description = $"The traffic to run; repeat to mix ({string.Join(", ", WorkloadCatalog.Names)}; default: all of them)",
        Validators = { CheckWorkloads },
    };

    private static readonly Option<string?> RunId = new("--run-id")
    {
        Description = "Prefix of the run's user ids (v<ID>-<n>), 1-32 letters, digits, - or _ (default: random)",
        Validators = { CheckRunId },
    };

    // No default shown in the help: a secret is not printed.
    private static readonly Option<string?> Secret = new("--secret")
    {
        Description = "The edges' token secret (default: $IMACTORS_SECRET, else the development secret)",
    };

    private static readonly Option<Uri?> AuditEvents = new("--audit-events")
    {
        Description = "Also audit the event stream: listen at this address (http://127.0.0.1:PORT/PATH, what the silos have in Webhooks:Urls) " +
                      "for the events the webhooks post, and check that every ACKed or stored message has exactly one message.stored event",
        CustomParser = ParseListenAddress,
    };

    // No default shown in the help: a secret is not printed.
    private static readonly Option<string?> EventsSecret = new("--events-secret")
    {
        Description = "The silos' Webhooks:Secret, to check each webhook's signature (default: $IMACTORS_WEBHOOK_SECRET, else unchecked)",
    };

    private static readonly Option<double> EventsQuiet = Number(
        "--events-quiet", Defaults.EventsQuiet.TotalSeconds, 1, 3600, integer: false,
        "Seconds the event audit waits for missing events after the last new one arrived", n => n);

    private static readonly Option<bool> Quiet = new("--quiet") { Description = "No progress lines on stderr" };

    public static RootCommand Command { get; } = new(
        "ImActors.Verifier: a steady workload from many SDK clients against running edges, then an audit of every " +
        "conversation. Prints one JSON line; exit 0: every check passed, 1: something was lost, duplicated, out of " +
        "order, shown at a reused seq or inconsistent, 2: the run could not be made")
    {
        Edges, Clients, Rate, Duration, Drain, Workload, RunId, Secret, AuditEvents, EventsSecret, EventsQuiet, Quiet,
    };

    public static ParseResult Parse(IReadOnlyList<string> args) => Command.Parse(args, Parser);

    /// <summary>The first thing wrong with the command line, as one line; null when nothing is.</summary>
    public static string? Error(ParseResult parse)
    {
        foreach (var option in parse.CommandResult.Children.OfType<OptionResult>())
        {
            // A value never starts with "--": "--rate --duration 5" is a rate left out, not a rate of "--duration".
            if (option.Tokens.Any(t => t.Value.StartsWith("--", StringComparison.Ordinal)))
            {
                return $"{option.Option.Name} needs a value";
            }
        }

        if (parse.Errors.Count == 0)
        {
            return null;
        }

        return parse.Errors[0].SymbolResult switch
        {
            // In the parser's own words these depend on the machine's language; these read the same everywhere.
            OptionResult { IdentifierTokenCount: > 1, Option.Arity.MaximumNumberOfValues: 1 } given => $"{given.Option.Name} given twice",
            OptionResult { Tokens.Count: 0, Option.Arity.MinimumNumberOfValues: > 0 } empty => $"{empty.Option.Name} needs a value",
            _ => parse.Errors[0].Message,
        };
    }

    /// <summary>The options of a command line <see cref="Error"/> found nothing wrong with.</summary>
    public static VerifierOptions Read(ParseResult parse)
    {
        var options = new VerifierOptions
        {
            Servers = [.. parse.GetValue(Edges) ?? []],
            Clients = parse.GetValue(Clients),
            Rate = parse.GetValue(Rate),
            Duration = TimeSpan.FromSeconds(parse.GetValue(Duration)),
            Drain = TimeSpan.FromSeconds(parse.GetValue(Drain)),
            Secret = parse.GetValue(Secret)
                     ?? (Environment.GetEnvironmentVariable("IMACTORS_SECRET") is { Length: > 0 } fromEnvironment ? fromEnvironment : Defaults.Secret),
            Log = parse.GetValue(Quiet) ? null : Console.Error,
            AuditEvents = parse.GetValue(AuditEvents),
            EventsSecret = parse.GetValue(EventsSecret)
                           ?? (Environment.GetEnvironmentVariable("IMACTORS_WEBHOOK_SECRET") is { Length: > 0 } webhookSecret ? webhookSecret : null),
            EventsQuiet = TimeSpan.FromSeconds(parse.GetValue(EventsQuiet)),
        };
        if (options.Servers.Count == 0)
        {
            throw new VerifierException("give at least one edge, e.g. tcp://127.0.0.1:7400");
        }

        if (parse.GetValue(RunId) is { } runId)
        {
            options.RunId = runId;
        }

        if (parse.GetValue(Workload) is { Length: > 0 } workloads)
        {
            options.Workloads = workloads.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        return options;
    }

    private static Uri[] ParseEdges(ArgumentResult result)
    {
        var edges = new List<Uri>();
        foreach (var token in result.Tokens)
        {
            // An option the command does not know lands here, among the edges.
            if (token.Value.StartsWith('-'))
            {
                result.AddError($"unknown option {token.Value.Split('=', 2)[0]}");
                break;
            }

            if (!Uri.TryCreate(token.Value, UriKind.Absolute, out var uri) || uri.Scheme is not ("tcp" or "ws" or "wss") || uri.Port <= 0)
            {
                result.AddError($"'{token.Value}' is not an edge address (tcp://host:port or ws://host:port/ws)");
                break;
            }

            edges.Add(uri);
        }

        return [.. edges];
    }

    private static Uri? ParseListenAddress(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.Port <= 0 || uri.AbsolutePath == "/")
        {
            result.AddError($"--audit-events: '{text}' is not an http address with a port and a path (e.g. http://127.0.0.1:7480/events)");
            return null;
        }

        return uri;
    }

    private static Option<T> Number<T>(string name, T fallback, double min, double max, bool integer, string description, Func<double, T> convert) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ||
                number < min || number > max || (integer && number != Math.Floor(number)))
            {
                result.AddError(string.Create(
                    CultureInfo.InvariantCulture, $"{name} must be {(integer ? "a whole number" : "a number")} from {min} to {max}, not '{text}'"));
                return fallback;
            }

            return convert(number);
        },
    };

    private static void CheckWorkloads(OptionResult result)
    {
        foreach (var name in result.Tokens.Select(t => t.Value))
        {
            if (WorkloadCatalog.Create(name) is null)
            {
                result.AddError($"unknown workload '{name}' (known: {string.Join(", ", WorkloadCatalog.Names)})");
                return;
            }
        }
    }

    private static void CheckRunId(OptionResult result)
    {
        if (result.Tokens is [{ Value: var value }] && (value.Length is 0 or > 32 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            result.AddError("--run-id must be 1-32 letters, digits, - or _");
        }
    }
}
