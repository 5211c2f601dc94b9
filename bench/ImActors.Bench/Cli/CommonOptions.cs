using System.CommandLine;
using ImActors.Bench.Servers;
using ImActors.Protocol;

namespace ImActors.Bench.Cli;

/// <summary>
/// Options every scenario takes, declared once: which system to load, and whether the tool starts it (pinned,
/// with which settings) or attaches to running processes.
/// </summary>
public static class CommonOptions
{
    public static readonly Option<string> Target = new("--target")
    {
        Description = "The system under test: imactors, imactors-redis, imactors-redis-cluster, imactors-node, imactors-node-nowait, imactors-events, " +
                      "imactors-node-events, imactors-mqtt, signalr-user, signalr-group, mosquitto, relay (calibration)",
        DefaultValueFactory = _ => "imactors",
    };

    public static readonly Option<int?> RedisShards = BenchOption.OptionalInt(
        "--redis-shards", 1, 9, "Masters of the Redis Cluster the imactors-redis-cluster target starts, each with a replica (default: 3)");

    public static readonly Option<int?> Edges = BenchOption.OptionalInt(
        "--edges", 1, 64, "Edges of the ImActors node the tool starts (default: 1, more for large connections and reconnect-storm runs)");

    public static readonly Option<string> ServerCpus = new("--server-cpus")
    {
        Description = "The taskset -c list for the servers the tool starts",
        DefaultValueFactory = _ => $"0-{Report.MachineInfo.Current.Cores - 1}",
    };

    // No default shown in the help: a secret is not printed, even the development one.
    public static readonly Option<string?> TokenSecret = new("--token-secret")
    {
        Description = "HS256 secret of the edges, when attaching to a node configured with its own (default: the development secret)",
    };

    public static readonly Option<string[]> Urls = BenchOption.List(
        "--urls", "Attach to running servers instead of starting them: their addresses (host:port,...), with --server-pids");

    public static readonly Option<string[]> ServerPids = BenchOption.List(
        "--server-pids", "The processes to measure when attached, by role (silo:1234,edge:1235,...), with --urls");

    public static readonly Option<string[]> ServerConfig = BenchOption.List(
        "--server-config", "Further settings for the ImActors processes the tool starts (Section:Key=value,...)");

    public static readonly Option<string> MqttClient = new("--mqtt-client")
    {
        Description = "The generator's MQTT client against imactors-mqtt and mosquitto: raw (the tool's own, cheapest) or mqttnet",
        DefaultValueFactory = _ => "raw",
    };

    public static readonly Option<bool> KeepData = BenchOption.Flag(
        "--keep-data", "Leave the data directory of the servers the tool started (store files, logs) in place and print where");

    public static void AddTo(Command command)
    {
        command.Options.Add(Target);
        command.Options.Add(Edges);
        command.Options.Add(RedisShards);
        command.Options.Add(ServerCpus);
        command.Options.Add(TokenSecret);
        command.Options.Add(Urls);
        command.Options.Add(ServerPids);
        command.Options.Add(ServerConfig);
        command.Options.Add(KeepData);
        command.Options.Add(MqttClient);
    }

    /// <param name="defaultEdges">The scenario's own default for <c>--edges</c> (it may depend on its load).</param>
    /// <param name="scenarioSettings">What the scenario itself needs of an ImActors server (e.g. a log level it reads).</param>
    public static ServerOptions Read(ParseResult parse, int defaultEdges, IReadOnlyList<string> scenarioSettings)
    {
        var target = parse.GetValue(Target)!;
        var shards = parse.GetValue(RedisShards);
        if (shards is not null && target != "imactors-redis-cluster")
        {
            throw new BenchUsageException($"--redis-shards is for --target imactors-redis-cluster, not {target}");
        }

        // A silo and its edges on the embedded store, on one redis-server, or on a Redis Cluster (decision 121).
        var store = target switch
        {
            "imactors-redis" => new StoreTopology(StoreKind.Redis),
            "imactors-redis-cluster" => new StoreTopology(StoreKind.RedisCluster, shards ?? 3),
            _ => StoreTopology.Embedded,
        };
        var (kind, settings) = target switch
        {
            "imactors" or "imactors-node" or "imactors-redis" => ("imactors", Array.Empty<string>()),
            // imactors-mqtt is the single-process node loaded through its MQTT listener (ServerOptions.Mqtt).
            "imactors-mqtt" => ("imactors", []),
            // Required on a Redis Cluster: a silo refuses to start on one without it (decision 119).
            "imactors-redis-cluster" => ("imactors", ["Store:Sharded=true"]),
            // The node ACKing a send before the store's append-only file holds it: the old, unsafe behaviour,
            // kept as a target of its own so that a run shows what the commit wait costs side by side.
            "imactors-node-nowait" => ("imactors", ["Store:CommitWait=false"]),
            // The event stream on (decision 109; off by default): each store step also writes its event to an outbox
            // list and the silos read those lists as a stream. Its own target so that one run compares on and off.
            "imactors-events" or "imactors-node-events" => ("imactors", ["Events:Enabled=true"]),
            "signalr-user" or "signalr-group" => ("signalr", []),
            "mosquitto" => ("mosquitto", []),
            "relay" => ("relay", []),
            _ => throw new BenchUsageException(
                $"unknown --target '{target}': use imactors, imactors-redis, imactors-redis-cluster, imactors-node, imactors-node-nowait, imactors-events, " +
                "imactors-node-events, imactors-mqtt, signalr-user, signalr-group, mosquitto or relay"),
        };
        var extra = parse.GetValue(ServerConfig) ?? [];
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
            parse.GetValue(Edges) ?? defaultEdges,
            parse.GetValue(ServerCpus)!,
            parse.GetValue(TokenSecret) ?? ProtocolDefaults.DevelopmentTokenSecret,
            parse.GetValue(Urls) ?? [],
            parse.GetValue(ServerPids) ?? [],
            [.. settings, .. kind == "imactors" ? scenarioSettings : [], .. extra],
            parse.GetValue(KeepData),
            store) { MqttClient = parse.GetValue(MqttClient)! };
        if (options.MqttClient is not ("raw" or "mqttnet"))
        {
            throw new BenchUsageException($"unknown --mqtt-client '{options.MqttClient}': use raw or mqttnet");
        }

        if (options.SingleProcess && options.Edges != 1)
        {
            throw new BenchUsageException($"{target} is one process holding the silo and one edge: --edges must be 1");
        }

        if ((options.Urls.Count == 0) != (options.Pids.Count == 0))
        {
            throw new BenchUsageException("--urls and --server-pids go together: the addresses to load and the processes to measure");
        }

        if (extra.Length > 0 && (options.Urls.Count > 0 || kind != "imactors"))
        {
            throw new BenchUsageException($"{target}{(options.Urls.Count > 0 ? " attached with --urls" : "")} takes no server settings: only ImActors processes the tool starts do");
        }

        if (store.Kind != StoreKind.Embedded && options.Urls.Count > 0)
        {
            throw new BenchUsageException($"{target} starts its own Redis: attach to a running cluster with --target imactors and --urls");
        }

        foreach (var url in options.Urls)
        {
            ServerSide.ParseEndpoint(url);
        }

        return options;
    }
}
