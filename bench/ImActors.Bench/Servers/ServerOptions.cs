using ImActors.Bench.Cli;
using ImActors.Protocol;

namespace ImActors.Bench.Servers;

/// <summary>Which system to load and whether the tool starts it (default) or attaches to running processes.</summary>
public sealed record ServerOptions(
    string Target, string Kind, int Edges, string Cpus, string Secret, IReadOnlyList<string> Urls, IReadOnlyList<string> Pids)
{
    /// <summary>The single-process node (silo, store and edge in one process) rather than a silo and separate edges.</summary>
    public bool SingleProcess => Target == "imactors-node";

    public static ServerOptions Read(BenchArguments args, int defaultEdges)
    {
        var target = args.String("target", "imactors")!;
        var kind = target switch
        {
            "imactors" or "imactors-node" => "imactors",
            "signalr-user" or "signalr-group" => "signalr",
            "relay" => "relay",
            "mqtt" => "mqtt",
            _ => throw new BenchUsageException($"unknown --target '{target}': use imactors, imactors-node, signalr-user, signalr-group, relay or mqtt"),
        };
        var options = new ServerOptions(
            target,
            kind,
            args.Int("edges", defaultEdges, 1, 64),
            args.String("server-cpus", $"0-{Report.MachineInfo.Current.Cores - 1}")!,
            args.String("token-secret", ProtocolDefaults.DevelopmentTokenSecret)!,
            args.List("urls"),
            args.List("server-pids"));
        if (options.SingleProcess && options.Edges != 1)
        {
            throw new BenchUsageException("imactors-node is one process holding the silo and one edge: --edges must be 1");
        }

        if ((options.Urls.Count == 0) != (options.Pids.Count == 0))
        {
            throw new BenchUsageException("--urls and --server-pids go together: the addresses to load and the processes to measure");
        }

        foreach (var url in options.Urls)
        {
            ServerSide.ParseEndpoint(url);
        }

        return options;
    }
}
