using ImActors.Bench.Cli;
using ImActors.Protocol;

namespace ImActors.Bench.Servers;

/// <summary>Which system to load and whether the tool starts it (default) or attaches to running processes.</summary>
/// <param name="Settings">
/// Configuration given to every ImActors process the tool starts, as <c>Section:Key=value</c> (each becomes
/// <c>--Section:Key value</c> on its command line): the target's own, then those of <c>--server-config</c>.
/// </param>
/// <param name="KeepData">Leave the started servers' data directory (store files, logs) in place for a look afterwards.</param>
public sealed record ServerOptions(
    string Target, string Kind, int Edges, string Cpus, string Secret, IReadOnlyList<string> Urls, IReadOnlyList<string> Pids,
    IReadOnlyList<string> Settings, bool KeepData = false)
{
    /// <summary>The single-process node (silo, store and edge in one process) rather than a silo and separate edges.</summary>
    public bool SingleProcess => Target.StartsWith("imactors-node", StringComparison.Ordinal);

    /// <param name="scenarioSettings">What the scenario itself needs of an ImActors server (e.g. a log level it reads).</param>
    public static ServerOptions Read(BenchArguments args, int defaultEdges, IReadOnlyList<string>? scenarioSettings = null)
    {
        var target = args.String("target", "imactors")!;
        var (kind, settings) = target switch
        {
            "imactors" or "imactors-node" => ("imactors", Array.Empty<string>()),
            // The node ACKing a send before the store's append-only file holds it: the old, unsafe behaviour,
            // kept as a target of its own so that a run shows what the commit wait costs side by side.
            "imactors-node-nowait" => ("imactors", ["Store:CommitWait=false"]),
            "signalr-user" or "signalr-group" => ("signalr", []),
            "relay" => ("relay", []),
            "mqtt" => ("mqtt", []),
            _ => throw new BenchUsageException(
                $"unknown --target '{target}': use imactors, imactors-node, imactors-node-nowait, signalr-user, signalr-group, relay or mqtt"),
        };
        var extra = args.List("server-config");
        foreach (var setting in extra)
        {
            if (setting.IndexOf('=') is < 1 || !setting.Contains(':', StringComparison.Ordinal))
            {
                throw new BenchUsageException($"--server-config: '{setting}' is not Section:Key=value (e.g. Store:CheckpointSeconds=0)");
            }
        }

        var options = new ServerOptions(
            target,
            kind,
            args.Int("edges", defaultEdges, 1, 64),
            args.String("server-cpus", $"0-{Report.MachineInfo.Current.Cores - 1}")!,
            args.String("token-secret", ProtocolDefaults.DevelopmentTokenSecret)!,
            args.List("urls"),
            args.List("server-pids"),
            [.. settings, .. kind == "imactors" ? scenarioSettings ?? [] : [], .. extra],
            args.Has("keep-data"));
        if (options.SingleProcess && options.Edges != 1)
        {
            throw new BenchUsageException($"{target} is one process holding the silo and one edge: --edges must be 1");
        }

        if ((options.Urls.Count == 0) != (options.Pids.Count == 0))
        {
            throw new BenchUsageException("--urls and --server-pids go together: the addresses to load and the processes to measure");
        }

        if (extra.Count > 0 && (options.Urls.Count > 0 || kind != "imactors"))
        {
            throw new BenchUsageException($"{target}{(options.Urls.Count > 0 ? " attached with --urls" : "")} takes no server settings: only ImActors processes the tool starts do");
        }

        foreach (var url in options.Urls)
        {
            ServerSide.ParseEndpoint(url);
        }

        return options;
    }

    /// <summary>The settings as command-line arguments of a .NET host.</summary>
    public IEnumerable<string> SettingArguments() =>
        Settings.SelectMany(s => new[] { "--" + s[..s.IndexOf('=')], s[(s.IndexOf('=') + 1)..] });
}
