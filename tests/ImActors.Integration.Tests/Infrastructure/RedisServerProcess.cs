using System.Diagnostics;
using System.Net.Sockets;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>A real redis-server on a free loopback port with its own data directory, stopped and restarted at will.</summary>
/// <param name="cluster">
/// Run in cluster mode, one node serving every slot: like a sharded store, it refuses a command or script whose keys
/// are in more than one slot (CROSSSLOT).
/// </param>
/// <param name="joinCluster">In cluster mode, serve no slot of its own: a node that <see cref="RedisClusterProcess"/> joins to others.</param>
/// <param name="nodeTimeoutMs">In cluster mode, how long a node may be unreachable before the others fail it over.</param>
public sealed class RedisServerProcess(bool cluster = false, bool joinCluster = false, int nodeTimeoutMs = 15000) : ITestRedis
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imactors-redis-").FullName;
    private Process? _process;

    public int Port { get; } = FreePorts.Next();

    /// <summary>
    /// The cluster bus port, picked free like <see cref="Port"/>: Redis's default (port + 10000) is past 65535 for
    /// many of the ports the system hands out.
    /// </summary>
    public int BusPort { get; } = FreePorts.Next();

    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the server, or starts it again after <see cref="KillAsync"/> on the same port and data (a cluster node rejoins).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(FindTool("redis-server"))
        {
            ArgumentList = { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _dir },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (cluster)
        {
            foreach (var arg in new[]
                     {
                         "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(_dir, "nodes.conf"),
                         "--cluster-port", BusPort.ToString(), "--cluster-node-timeout", nodeTimeoutMs.ToString(),
                     })
            {
                start.ArgumentList.Add(arg);
            }
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await WaitUntilListeningAsync();
        if (cluster && !joinCluster)
        {
            await ServeEverySlotAsync();
        }
    }

    private async Task ServeEverySlotAsync()
    {
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{ConnectionString},allowAdmin=true");
        var server = admin.GetServer(ConnectionString);
        await server.ExecuteAsync("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        for (var i = 0; i < 100; i++)
        {
            if (((string?)await server.ExecuteAsync("CLUSTER", "INFO"))?.Contains("cluster_state:ok") == true)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("the one-node redis cluster did not become ready");
    }

    /// <summary>Kills the server without warning (SIGKILL): only what reached the AOF survives.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not start on port {Port}");
    }

    /// <summary>The path of a Redis program (redis-server, redis-cli), or a clear error when Redis is not installed.</summary>
    public static string FindTool(string name) =>
        new[] { "/usr/bin", "/usr/local/bin" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed: the tests need a real Redis (apt-get install -y redis-server)");
}
