using System.Globalization;
using ImActors.Verifier.Workloads;

namespace ImActors.Verifier;

/// <summary>The command line: edges as arguments, options as <c>--name value</c>.</summary>
public static class VerifierArguments
{
    public const string Usage =
        "usage: ImActors.Verifier EDGE [EDGE...] [--clients N] [--rate SENDS_PER_S] [--duration SECONDS] [--drain SECONDS]\n" +
        "                         [--workload direct|group]... [--run-id ID] [--secret SECRET] [--quiet]\n" +
        "  EDGE: tcp://host:port or ws://host:port/ws. The secret defaults to $IMACTORS_SECRET, then the development secret.\n" +
        "  Prints one JSON line (lost, duplicated, gaps, seqReused, maxRecoveryMs, ...). Exit 0: every check passed;\n" +
        "  1: something was lost, duplicated, out of order, shown at a reused seq or inconsistent; 2: the run could not be made.";

    /// <summary>The options, or throws <see cref="VerifierException"/> with a one-line reason.</summary>
    public static VerifierOptions Parse(IReadOnlyList<string> args)
    {
        var options = new VerifierOptions { Log = Console.Error };
        if (Environment.GetEnvironmentVariable("IMACTORS_SECRET") is { Length: > 0 } secret)
        {
            options.Secret = secret;
        }

        var workloads = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                options.Servers.Add(Edge(arg));
                continue;
            }

            if (arg == "--quiet")
            {
                options.Log = null;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new VerifierException($"{arg} needs a value");
            }

            var value = args[++i];
            switch (arg)
            {
                case "--clients": options.Clients = (int)Number(arg, value, 2, 100_000); break;
                case "--rate": options.Rate = Number(arg, value, 0.01, 10_000); break;
                case "--duration": options.Duration = TimeSpan.FromSeconds(Number(arg, value, 1, 7 * 86400)); break;
                case "--drain": options.Drain = TimeSpan.FromSeconds(Number(arg, value, 0, 3600)); break;
                case "--workload": workloads.Add(value); break;
                case "--run-id": options.RunId = Identifier(arg, value); break;
                case "--secret": options.Secret = value; break;
                default: throw new VerifierException($"unknown option {arg}");
            }
        }

        if (options.Servers.Count == 0)
        {
            throw new VerifierException("give at least one edge, e.g. tcp://127.0.0.1:7400");
        }

        foreach (var name in workloads)
        {
            if (WorkloadCatalog.Create(name) is null)
            {
                throw new VerifierException($"unknown workload '{name}' (known: {string.Join(", ", WorkloadCatalog.Names)})");
            }
        }

        if (workloads.Count > 0)
        {
            options.Workloads = workloads.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        return options;
    }

    private static Uri Edge(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("tcp" or "ws" or "wss") || uri.Port <= 0)
        {
            throw new VerifierException($"'{value}' is not an edge address (tcp://host:port or ws://host:port/ws)");
        }

        return uri;
    }

    private static double Number(string name, string value, double min, double max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new VerifierException($"{name} must be a number from {min} to {max}, not '{value}'");
        }

        return number;
    }

    private static string Identifier(string name, string value)
    {
        if (value.Length is 0 or > 32 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new VerifierException($"{name} must be 1-32 letters, digits, - or _");
        }

        return value;
    }
}
