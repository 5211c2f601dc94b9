using System.Diagnostics;
using System.Globalization;
using ImActors.Bench.Cli;
using ImActors.Bench.Measurement;

namespace ImActors.Bench.Servers;

/// <summary>
/// The Redis a silo-and-edges target runs on when it is not the embedded store: one redis-server, or a Redis Cluster
/// of several masters with a replica each, joined by <c>redis-cli --cluster create</c> as an operator (and
/// scripts/cluster.sh) does. Every node runs with the settings the operations guide asks for (<c>appendfsync
/// always</c>, <c>noeviction</c>) and is pinned to the server cpus like the silo and edges, so its CPU is part of
/// what a message costs. Nodes are measured as role <c>redis</c> (a master, or the one server) or <c>replica</c>.
/// </summary>
public sealed class RedisStore
{
    // A cluster's failover is not exercised here; Redis's default node timeout (15 s) would do as well as this one,
    // which is scripts/cluster.sh's.
    private const string NodeTimeoutMs = "2000";

    private readonly List<(ChildProcess Process, int Port)> _nodes;

    private RedisStore(List<(ChildProcess, int)> nodes, IReadOnlyList<ServerProcess> measured)
    {
        _nodes = nodes;
        Measured = measured;
    }

    /// <summary>Every node, started first: stop them last.</summary>
    public IEnumerable<ChildProcess> Processes => _nodes.Select(n => n.Process);

    /// <summary>The nodes with their role once the cluster has formed: <c>redis</c> or <c>replica</c>.</summary>
    public IReadOnlyList<ServerProcess> Measured { get; }

    /// <summary>What silos and edges get as <c>Store:Redis</c>: every node (the client learns the slot map from any).</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}"));

    /// <param name="started">Called with each node as it starts, so that the caller stops it even if a later step fails.</param>
    public static async Task<RedisStore> StartAsync(
        StoreTopology topology, string cpus, string dataDir, Action<ChildProcess> started, CancellationToken cancellationToken)
    {
        var server = Tool("redis-server");
        var cluster = topology.Kind == StoreKind.RedisCluster;
        var count = cluster ? topology.Masters * 2 : 1;
        var nodes = new List<(ChildProcess, int)>();
        for (var i = 0; i < count; i++)
        {
            var port = ChildProcess.FreePort();
            var dir = Directory.CreateDirectory(Path.Combine(dataDir, $"redis-{i}")).FullName;
            List<string> command =
            [
                server, "--port", Str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", dir, "--maxmemory-policy", "noeviction",
            ];
            if (cluster)
            {
                // The bus port is picked free too: Redis's default (port + 10000) is past 65535 for many free ports.
                command.AddRange(["--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(dir, "nodes.conf"),
                    "--cluster-port", Str(ChildProcess.FreePort()), "--cluster-node-timeout", NodeTimeoutMs]);
            }

            var node = ChildProcess.Start("redis", cpus, dir, Path.Combine(dataDir, $"redis-{i}.log"), command);
            started(node);
            nodes.Add((node, port));
        }

        foreach (var (node, port) in nodes)
        {
            await WaitAnswersAsync(node, port, cancellationToken);
        }

        if (!cluster)
        {
            return new RedisStore(nodes, [new ServerProcess("redis", nodes[0].Item1.Pid)]);
        }

        // One replica per master, all on one host, which redis-cli warns about and accepts with --cluster-yes.
        var (exit, output) = await RunAsync(Tool("redis-cli"),
            ["--cluster", "create", .. nodes.Select(n => $"127.0.0.1:{n.Item2}"), "--cluster-replicas", "1", "--cluster-yes"], cancellationToken);
        if (exit != 0)
        {
            throw new BenchUsageException($"redis-cli --cluster create failed ({exit}): {output.Trim()}");
        }

        await WaitClusterReadyAsync(nodes, cancellationToken);
        var measured = new List<ServerProcess>();
        foreach (var (node, port) in nodes)
        {
            var (_, role) = await RunAsync(Tool("redis-cli"), ["-p", Str(port), "role"], cancellationToken);
            measured.Add(new ServerProcess(role.StartsWith("master", StringComparison.Ordinal) ? "redis" : "replica", node.Pid));
        }

        return new RedisStore(nodes, measured);
    }

    private static async Task WaitAnswersAsync(ChildProcess node, int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await RunAsync(Tool("redis-cli"), ["-p", Str(port), "ping"], cancellationToken)).Output.Trim() != "PONG")
        {
            if (node.HasExited || DateTime.UtcNow > deadline)
            {
                throw new BenchUsageException($"redis-server did not answer on port {port}; its log ({node.Log}) ends: {node.LogTail()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    // Until every node agrees the cluster is whole: a silo started earlier could meet a node that does not yet know
    // the slot map, and a send a CLUSTERDOWN.
    private static async Task WaitClusterReadyAsync(List<(ChildProcess Process, int Port)> nodes, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var states = new List<string>();
            foreach (var (_, port) in nodes)
            {
                var (_, info) = await RunAsync(Tool("redis-cli"), ["-p", Str(port), "cluster", "info"], cancellationToken);
                states.Add(info.Contains("cluster_state:ok", StringComparison.Ordinal) ? "ok" : $"{port} not ok");
            }

            if (states.All(s => s == "ok"))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchUsageException($"the Redis Cluster did not become ready within 60 s: {string.Join(", ", states)}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await errors);
    }

    private static string Tool(string name) =>
        new[] { "/usr/bin", "/usr/local/bin" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? throw new BenchUsageException($"{name} is not installed: the Redis targets start a real Redis (apt-get install -y redis-server)");

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
