using System.Diagnostics;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// A real Redis Cluster on loopback: <paramref name="masters"/> redis-server processes in cluster mode, each with one
/// replica, joined by <c>redis-cli --cluster create</c> as an operator would. Every node runs with <c>appendfsync
/// always</c>, as the single server does. The node timeout is short (1 s) so that a killed master's replica takes
/// over within a few seconds, which the drills wait for.
/// </summary>
public sealed class RedisClusterProcess(int masters = 3) : ITestRedis
{
    /// <summary>Milliseconds a master may be unreachable before its replica is promoted (Redis's default is 15 s).</summary>
    public const int NodeTimeoutMs = 1000;

    private readonly List<RedisServerProcess> _nodes = Enumerable.Range(0, masters * 2).Select(_ => new RedisServerProcess(cluster: true, joinCluster: true, nodeTimeoutMs: NodeTimeoutMs)).ToList();

    public IReadOnlyList<RedisServerProcess> Nodes => _nodes;

    /// <summary>Every node's address: StackExchange.Redis learns the slot map from whichever answers.</summary>
    public string ConnectionString => string.Join(",", _nodes.Select(n => n.ConnectionString));

    public async Task StartAsync()
    {
        await Task.WhenAll(_nodes.Select(n => n.StartAsync()));
        var create = new ProcessStartInfo(RedisServerProcess.FindTool("redis-cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var node in _nodes)
        {
            create.ArgumentList.Add(node.ConnectionString);
        }

        // One replica per master; every node is on 127.0.0.1, which redis-cli warns about and accepts with --cluster-yes.
        foreach (var arg in new[] { "--cluster-replicas", "1", "--cluster-yes" })
        {
            create.ArgumentList.Add(arg);
        }

        using var process = Process.Start(create)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed ({process.ExitCode}): {await output}{await errors}");
        }

        await WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Until every running node says <c>cluster_state:ok</c> and sees <paramref name="masters"/> masters with every
    /// slot served, each with a replica: after a start, or after a failover and a restart.
    /// </summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = await DescribeAsync();
            if (last == "ok")
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"the Redis Cluster did not become ready within {timeout}: {last}");
    }

    private async Task<string> DescribeAsync()
    {
        foreach (var node in _nodes.Where(n => n.IsRunning))
        {
            try
            {
                await using var admin = await ConnectionMultiplexer.ConnectAsync($"{node.ConnectionString},allowAdmin=true,connectTimeout=1000");
                var server = admin.GetServer(node.ConnectionString);
                var info = (string?)await server.ExecuteAsync("CLUSTER", "INFO") ?? "";
                if (!info.Contains("cluster_state:ok"))
                {
                    return $"{node.ConnectionString} is not ok";
                }

                var lines = ((string?)await server.ExecuteAsync("CLUSTER", "NODES") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var liveMasters = lines.Where(l => l.Contains("master") && !l.Contains("fail")).Select(l => l.Split(' ')[0]).ToList();
                var servingMasters = lines.Count(l => l.Contains("master") && !l.Contains("fail") && l.Split(' ').Length > 8);
                var replicated = liveMasters.Count(m => lines.Any(l => l.Contains("slave " + m) && !l.Contains("fail")));
                if (servingMasters != masters || replicated != masters)
                {
                    return $"{node.ConnectionString} sees {servingMasters} serving masters, {replicated} with a live replica";
                }
            }
            catch (RedisException e)
            {
                return $"{node.ConnectionString}: {e.Message}";
            }
        }

        return "ok";
    }

    /// <summary>The node now serving <paramref name="key"/>'s slot as master.</summary>
    public async Task<RedisServerProcess> MasterOfAsync(RedisKey key)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
        var endpoint = mux.GetServer(key).EndPoint.ToString()!;
        return _nodes.Single(n => endpoint.EndsWith(":" + n.Port));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
