using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Measurement;
using ImActors.Bench.Targets;
using ImActors.Bench.Targets.Mqtt;
using ImActors.Protocol;

namespace ImActors.Bench.Servers;

/// <summary>
/// The processes under test: started by the tool (a single ImActors node with N edges, the SignalR peer,
/// mosquitto or the relay), each pinned with taskset, or existing ones named by pid and address.
/// </summary>
public sealed class ServerSide : IAsyncDisposable
{
    private readonly List<ChildProcess> _started = [];
    private readonly string? _dataDir;
    private string[]? _nodeCommand;
    private string? _nodeCpus;
    private bool _keepData;

    private ServerSide(IReadOnlyList<IPEndPoint> endpoints, IReadOnlyList<ServerProcess> processes, string? dataDir)
    {
        Endpoints = endpoints;
        Processes = new ServerProcesses(processes);
        _dataDir = dataDir;
    }

    /// <summary>Where clients connect: every edge (or the peer, or the relay).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; private set; }

    /// <summary>Every started edge's TLS port, in the order of <see cref="Endpoints"/>; it listens only when a scenario gives the edges a certificate.</summary>
    public IReadOnlyList<IPEndPoint> TlsEndpoints { get; private set; } = [];

    public ServerProcesses Processes { get; private set; }

    /// <summary>The target the options name, with its server side started or attached.</summary>
    public static async Task<(IBenchTarget Target, ServerSide Servers)> OpenAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        var (target, kind, edges, cpus, secret, urls, pids, _, _, store) = options;
        ServerSide servers;
        if (urls.Count > 0 || pids.Count > 0)
        {
            servers = new ServerSide(urls.Select(ParseEndpoint).ToList(), pids.Select(ParsePid).ToList(), null);
        }
        else
        {
            servers = kind switch
            {
                "imactors" when options.SingleProcess => await StartSingleProcessNodeAsync(cpus, secret, options.SettingArguments(), options.Mqtt, cancellationToken),
                "imactors" => await StartNodeAsync(edges, cpus, secret, store, options.SettingArguments(), cancellationToken),
                "signalr" => await StartSingleAsync("peer", cpus, (_, port) => ["dotnet", RepoLayout.Dll("bench/peers/SignalRPeer", "SignalRPeer"), "--port", Str(port)], cancellationToken),
                "mosquitto" => await StartSingleAsync("mosquitto", cpus, MosquittoServer.Command, cancellationToken),
                _ => await StartSingleAsync("relay", cpus, (_, port) => ["dotnet", typeof(ServerSide).Assembly.Location, "relay", "--port", Str(port)], cancellationToken),
            };
        }

        servers._keepData = options.KeepData;
        IBenchTarget bench = kind switch
        {
            "imactors" when options.Mqtt => MqttTarget.ImActors(servers.Endpoints, secret, options.MqttClient == "mqttnet"),
            "imactors" => new ImActorsTarget(target, servers.Endpoints, secret, durable: true),
            "relay" => new ImActorsTarget("relay", servers.Endpoints, secret, durable: false),
            "mosquitto" => MqttTarget.Mosquitto(servers.Endpoints, options.MqttClient == "mqttnet"),
            _ => new SignalRTarget(servers.Endpoints, perUserGroup: target == "signalr-group"),
        };
        return (bench, servers);
    }

    public async ValueTask DisposeAsync()
    {
        // Edges first (they close their sessions with the silo), then the silo, then a Redis the silo was on.
        foreach (var child in _started.AsEnumerable().Reverse())
        {
            await child.StopAsync(TimeSpan.FromSeconds(10));
        }

        if (_dataDir is not null && _keepData)
        {
            Console.Error.WriteLine($"server data kept in {_dataDir}");
        }
        else if (_dataDir is not null)
        {
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A silo and its edges as separate processes, on the embedded store or on a Redis the tool starts first.</summary>
    private static async Task<ServerSide> StartNodeAsync(
        int edges, string cpus, string secret, StoreTopology store, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var silo = RepoLayout.Dll("Silo", "ImActors.Silo");
        var edge = RepoLayout.Dll("Edge", "ImActors.Edge");
        var data = Directory.CreateTempSubdirectory("imactors-bench-").FullName;
        var side = new ServerSide([], [], data);
        try
        {
            // Free ports for everything, and a cluster id of its own: a node started by hand on the defaults
            // may be running next to the benchmark.
            var gatewayPort = ChildProcess.FreePort();
            var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
            string[] quiet = ["--Logging:LogLevel:Default", "Warning", .. InboxLimits, .. settings];
            string[] siloStore, edgeStore;
            IReadOnlyList<ServerProcess> measured = [];
            if (store.Kind == StoreKind.Embedded)
            {
                // The silo starts the store; the edges reach it on its port with the password it writes.
                var storePort = ChildProcess.FreePort();
                siloStore = ["--Store:DataDir", Path.Combine(data, "store"), "--Store:EmbeddedPort", Str(storePort)];
                edgeStore = ["--Store:Redis", $"127.0.0.1:{storePort}", "--Store:PasswordFile", Path.Combine(data, "store", "password")];
            }
            else
            {
                var redis = await RedisStore.StartAsync(store, cpus, data, side._started.Add, cancellationToken);
                siloStore = edgeStore = ["--Store:Redis", redis.ConnectionString];
                measured = redis.Measured;
            }

            var siloProcess = ChildProcess.Start("silo", cpus, data, Path.Combine(data, "silo.log"),
            [
                "dotnet", silo, "--contentRoot", Path.GetDirectoryName(silo)!, .. siloStore, "--Cluster:SiloPort", Str(ChildProcess.FreePort()),
                "--Cluster:GatewayPort", Str(gatewayPort), "--Cluster:ClusterId", clusterId,
                "--Admin:Port", Str(ChildProcess.FreePort()), .. quiet,
            ]);
            side._started.Add(siloProcess);
            await WaitListeningAsync(siloProcess, gatewayPort, TimeSpan.FromSeconds(90), cancellationToken);

            var endpoints = new List<IPEndPoint>();
            var tlsEndpoints = new List<IPEndPoint>();
            var edgeProcesses = new List<ChildProcess>();
            for (var i = 0; i < edges; i++)
            {
                var tcp = ChildProcess.FreePort();
                var tls = ChildProcess.FreePort();
                var child = ChildProcess.Start("edge", cpus, data, Path.Combine(data, $"edge-{i}.log"),
                [
                    "dotnet", edge, "--contentRoot", Path.GetDirectoryName(edge)!, .. edgeStore,
                    "--Cluster:ClusterId", clusterId, "--Edge:EdgeId", $"{clusterId}-edge-{i}", "--Edge:TcpPort", Str(tcp),
                    "--Edge:HttpPort", Str(ChildProcess.FreePort()), "--Tls:TcpPort", Str(tls), .. EdgeLimits(secret), .. quiet,
                ]);
                side._started.Add(child);
                edgeProcesses.Add(child);
                endpoints.Add(new IPEndPoint(IPAddress.Loopback, tcp));
                tlsEndpoints.Add(new IPEndPoint(IPAddress.Loopback, tls));
            }

            // An edge listens before it has joined the cluster: ready means a hello is welcomed.
            for (var i = 0; i < edges; i++)
            {
                await WaitWelcomeAsync(edgeProcesses[i], endpoints[i], secret, cancellationToken);
            }

            side.Endpoints = endpoints;
            side.TlsEndpoints = tlsEndpoints;
            side.Processes = new ServerProcesses([.. measured, .. edgeProcesses.Prepend(siloProcess).Select(c => new ServerProcess(c.Role, c.Pid))]);
            return side;
        }
        catch
        {
            await side.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The single-process node: silo, embedded store and edge in one process (role "node"). With <paramref name="mqtt"/> its
    /// MQTT listener is on too, and the run's clients connect there (<see cref="Endpoints"/>) instead of to the native port.
    /// </summary>
    private static async Task<ServerSide> StartSingleProcessNodeAsync(
        string cpus, string secret, IEnumerable<string> settings, bool mqtt, CancellationToken cancellationToken)
    {
        var node = RepoLayout.Dll("Node", "ImActors.Node");
        var data = Directory.CreateTempSubdirectory("imactors-bench-").FullName;
        var side = new ServerSide([], [], data);
        try
        {
            var tcp = ChildProcess.FreePort();
            var tls = ChildProcess.FreePort();
            var mqttPort = mqtt ? ChildProcess.FreePort() : 0;
            string[] mqttListener = mqtt ? ["--Edge:MqttPort", Str(mqttPort)] : [];
            var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
            side._nodeCommand =
            [
                "dotnet", node, "--contentRoot", Path.GetDirectoryName(node)!, "--Store:DataDir", Path.Combine(data, "store"),
                "--Store:EmbeddedPort", Str(ChildProcess.FreePort()), "--Cluster:SiloPort", Str(ChildProcess.FreePort()),
                "--Cluster:GatewayPort", Str(ChildProcess.FreePort()), "--Cluster:ClusterId", clusterId,
                "--Edge:EdgeId", $"{clusterId}-node", "--Edge:TcpPort", Str(tcp), "--Edge:HttpPort", Str(ChildProcess.FreePort()),
                "--Tls:TcpPort", Str(tls), .. mqttListener, "--Logging:LogLevel:Default", "Warning", .. EdgeLimits(secret), .. InboxLimits,
                .. settings,
            ];
            side._nodeCpus = cpus;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            side._started.Add(ChildProcess.Start("node", cpus, data, Path.Combine(data, "node.log"), side._nodeCommand));
            var endpoint = new IPEndPoint(IPAddress.Loopback, tcp);
            await WaitWelcomeAsync(side._started[0], endpoint, secret, cancellationToken);
            side.NodeStartedIn = watch.Elapsed;
            // Both listeners start together, so a welcome on the native port means the MQTT one is up as well.
            side.Endpoints = mqtt ? [new IPEndPoint(IPAddress.Loopback, mqttPort)] : [endpoint];
            side.TlsEndpoints = [new IPEndPoint(IPAddress.Loopback, tls)];
            side.Processes = new ServerProcesses([new ServerProcess("node", side._started[0].Pid)]);
            return side;
        }
        catch
        {
            await side.DisposeAsync();
            throw;
        }
    }

    /// <summary>From starting the single-process node on an empty data directory to its first welcome.</summary>
    public TimeSpan? NodeStartedIn { get; private set; }

    /// <summary>The embedded store's directory of the single-process node the tool started (null otherwise).</summary>
    public string? StoreDir => _nodeCommand is null ? null : Path.Combine(_dataDir!, "store");

    /// <summary>Log files of the processes the tool started, oldest first (a restarted node has one per start).</summary>
    public IEnumerable<string> Logs => _started.Select(c => c.Log);

    /// <summary>
    /// Kills the single-process node the tool started with SIGKILL: no shutdown at all, a crash or a power cut
    /// as far as the process can tell. Returns once it is gone.
    /// </summary>
    public async Task KillNodeAsync()
    {
        if (_nodeCommand is null)
        {
            throw new BenchUsageException("only the single-process node the tool started itself can be killed and restarted");
        }

        await _started[^1].KillAsync();
    }

    /// <summary>Why the node the tool started (last) is gone, or null while it runs.</summary>
    public string? NodeExit => _started.Count > 0 && _started[^1].HasExited ? $"the node exited; its log ends: {_started[^1].LogTail()}" : null;

    /// <summary>
    /// Starts the killed node again with the same data directory, ports and settings (its log goes to a file of
    /// its own). Returns at once, not once it serves: the caller times that.
    /// </summary>
    public void RestartNode()
    {
        var node = ChildProcess.Start("node", _nodeCpus!, _dataDir!, Path.Combine(_dataDir!, $"node-{_started.Count + 1}.log"), _nodeCommand!);
        _started.Add(node);
        Processes = new ServerProcesses([new ServerProcess("node", node.Pid)]);
    }

    /// <summary>One server process listening on one port; <paramref name="command"/> gets its data directory and that port.</summary>
    private static async Task<ServerSide> StartSingleAsync(string role, string cpus, Func<string, int, string[]> command, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("imactors-bench-").FullName;
        var side = new ServerSide([], [], data);
        try
        {
            var port = ChildProcess.FreePort();
            var child = ChildProcess.Start(role, cpus, data, Path.Combine(data, role + ".log"), command(data, port));
            side._started.Add(child);
            await WaitListeningAsync(child, port, TimeSpan.FromSeconds(60), cancellationToken);
            side.Endpoints = [new IPEndPoint(IPAddress.Loopback, port)];
            side.Processes = new ServerProcesses([new ServerProcess(role, child.Pid)]);
            return side;
        }
        catch
        {
            await side.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitListeningAsync(ChildProcess child, int port, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                Fail(child, deadline, $"did not listen on port {port}");
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The edge's protection set for load: the token secret the generator signs with (the public development one
    /// must be allowed explicitly), no per-address limits (every generated client comes from 127.0.0.x), and rate
    /// limits so high they never refuse but still run, so their cost is in what is measured. Settings given on the
    /// command line come later and win.
    /// </summary>
    private static string[] EdgeLimits(string secret) =>
    [
        "--Auth:Development", "true", "--Auth:Secret", secret,
        "--Admission:MaxConnectionsPerAddress", "0", "--Admission:ConnectsPerSecondPerAddress", "0",
        "--Limits:MessagesPerSecond", "1000000000", "--Limits:MessageBurst", "1000000000",
        "--Limits:BytesPerSecond", "1000000000000", "--Limits:ByteBurst", "1000000000000",
        "--Limits:RequestsPerSecond", "1000000000", "--Limits:RequestBurst", "1000000000",
        "--Limits:UserMessagesPerSecond", "1000000000", "--Limits:UserMessageBurst", "1000000000",
        "--Limits:UserBytesPerSecond", "1000000000000", "--Limits:UserByteBurst", "1000000000000",
    ];

    /// <summary>
    /// No per-sender unread cap: the generated recipients never read, and a pair past the cap would measure refusals. The
    /// cap's count is taken on every send all the same, so its cost stays in what is measured.
    /// </summary>
    private static readonly string[] InboxLimits = ["--Inbox:MaxUnreadPerSender", "0"];

    private static async Task WaitWelcomeAsync(ChildProcess child, IPEndPoint edge, string secret, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var probe = new ImActorsTarget("imactors", [edge], secret, durable: true);
        while (true)
        {
            try
            {
                await using var connection = await probe.ConnectAsync("bench-probe", 0, null, new LoadCounters(), cancellationToken);
                return;
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                Fail(child, deadline, $"did not welcome a client on {edge} ({e.Message})");
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static void Fail(ChildProcess child, DateTime deadline, string what)
    {
        if (child.HasExited || DateTime.UtcNow > deadline)
        {
            throw new BenchUsageException($"the {child.Role} {what}; its log ({child.Log}) ends: {child.LogTail()}");
        }
    }

    public static IPEndPoint ParseEndpoint(string url)
    {
        var text = url.Contains("://", StringComparison.Ordinal) ? url : "tcp://" + url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            throw new BenchUsageException($"--urls: '{url}' is not host:port");
        }

        var address = IPAddress.TryParse(uri.Host, out var ip) ? ip : Dns.GetHostAddresses(uri.Host).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        return new IPEndPoint(address, uri.Port);
    }

    private static ServerProcess ParsePid(string text)
    {
        var parts = text.Split(':', 2);
        var (role, pid) = parts.Length == 2 ? (parts[0], parts[1]) : ("server", parts[0]);
        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || ProcSample.Read(value) is null)
        {
            throw new BenchUsageException($"--server-pids: '{text}' is not a running process (role:pid, e.g. edge:1234)");
        }

        return new ServerProcess(role, value);
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
